import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { defineJob } from '../src/core/job.js';
import { UserError } from '../src/errors.js';
import { durationSchema, formatDuration } from '../src/duration.js';
import { configuredEnv } from '../src/aws/action-target.js';
import { BUILTIN_QUERIES, runInsightsQuery } from '../src/aws/logs-insights.js';
import { renderInsights } from '../views/logs-insights.js';

interface InsightsJobData {
  env: string;
  name?: string;
  query: string;
  startMs: number;
  endMs: number;
}

/** Long enough for a month of logs; Insights itself stops a query at 60 minutes. */
const QUERY_TIMEOUT_MS = 10 * 60_000;

export const logsInsightsJob = defineJob<InsightsJobData>({
  name: 'logs.insights',
  timeoutMs: QUERY_TIMEOUT_MS + 30_000,
  idempotent: true,
  async run(ctx, data) {
    const env = configuredEnv(ctx.config.environments, data.env);
    const groups = env.logs?.groups ?? [];
    const started = Date.now();
    await ctx.progress(2, 'starting the query');
    const result = await runInsightsQuery(ctx.services.aws.forEnv(env), {
      groups,
      query: data.query,
      start: new Date(data.startMs),
      end: new Date(data.endMs),
      signal: ctx.signal,
      timeoutMs: QUERY_TIMEOUT_MS,
      intervalMs: 1000,
      progress: (percent, note) => ctx.progress(percent, note),
    });
    return renderInsights({
      env: data.env,
      name: data.name,
      query: data.query,
      groups,
      windowLabel: formatDuration(data.endMs - data.startMs),
      result,
      tookMs: Date.now() - started,
    });
  },
});

/** Saved queries: the built-ins (SoleMate guide), then this environment's `logs.queries` (which may replace one). */
export function savedQueries(ctx: Pick<CommandContext, 'env'>): Record<string, string> {
  return { ...BUILTIN_QUERIES, ...(ctx.env.logs?.queries ?? {}) };
}

/** The query as typed: quotes matter in Insights (`like "x"`), and the tokenizer drops them, so take the raw text. */
function typedQuery(text: string, joined: string): string {
  const t = text
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const open = t.indexOf('"');
  const close = t.lastIndexOf('"');
  return open !== -1 && close > open ? t.slice(open + 1, close).trim() : joined;
}

export const logsInsights = defineCommand({
  name: 'logs insights',
  summary: 'Run a CloudWatch Logs Insights query (saved: errors, response-times, security, or your own) as a job',
  usage: '[env] <saved-name>|"<query>" [--since 1h]',
  examples: [
    'logs insights errors',
    'logs insights prod security --since 24h',
    'logs insights "stats count(*) by bin(1h)"',
  ],
  risk: 'read',
  positionals: ['...query'],
  args: z.object({ query: z.string().max(4000).optional(), since: durationSchema.default(60 * 60_000) }),
  jobs: [logsInsightsJob],
  async run(ctx, args) {
    const saved = savedQueries(ctx);
    const names = Object.keys(saved).join(', ');
    if (!ctx.env.logs?.groups.length)
      throw new UserError(
        `\`${ctx.envName}\` has no log groups configured.`,
        'Add `logs: { groups: ["/ecs/production/application"] }` to this environment in ops.yml.',
      );
    if (!args.query)
      throw new UserError('Which query? Give a saved name or a query in quotes.', `Saved queries: ${names}.`);
    if (args.since < 60_000 || args.since > 30 * 86_400_000)
      throw new UserError(`\`--since ${formatDuration(args.since)}\` is out of range: use between 1m and 30d.`);
    const name = saved[args.query.trim()] ? args.query.trim() : undefined;
    const query = name ? saved[name] : typedQuery(ctx.text, args.query);
    if (!name && !/[|]|^\s*(fields|filter|stats|sort|parse|display|limit|dedup|pattern)\b/.test(query))
      throw new UserError(
        `\`${args.query}\` is neither a saved query nor a Logs Insights query.`,
        `Saved queries: ${names}; or type a query in quotes, e.g. \`/ops logs insights "filter @message like /ERROR/ | limit 20"\`.`,
      );
    const end = ctx.services.clock().getTime();
    const data: InsightsJobData = { env: ctx.envName, name, query, startMs: end - args.since, endMs: end };
    return {
      job: {
        name: logsInsightsJob.name,
        data: { ...data },
        title: `Logs Insights ${name ?? 'query'} on ${ctx.envName} (last ${formatDuration(args.since)})`,
      },
    };
  },
});
