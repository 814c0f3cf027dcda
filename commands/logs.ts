import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { EnvironmentConfig } from '../src/config/schema.js';
import { UserError } from '../src/errors.js';
import { durationSchema, formatDuration } from '../src/duration.js';
import { settle } from '../src/aws/session.js';
import { filterLogGroup } from '../src/aws/logs.js';
import { renderLogs, type LogLineView } from '../views/logs.js';
import { withSelfHostedLogs } from './self-hosted/logs.js';

/** CloudWatch filter terms are case-sensitive: "?A ?B" matches either term. */
const ERROR_PATTERN = '?ERROR ?Error ?error ?FATAL ?Fatal ?fatal ?Exception ?exception ?panic';
const ERROR_RE = /error|fatal|exception|panic/i;
const KEEP_PER_GROUP = 500;

/** Where an environment's logs usually are, for the "add logs.groups" advice. */
function suggestGroups(env: EnvironmentConfig): string {
  if (env.beanstalk) return `"/aws/elasticbeanstalk/${env.beanstalk.environment}/var/log/web.stdout.log"`;
  if (env.ecs) return env.ecs.services.map((s) => `"/ecs/${s}"`).join(', ');
  return '"/ecs/my-service"';
}

/**
 * The tokenizer drops quotes, which JSON filter patterns need ({ $.level = "error" }),
 * so a pattern in braces is taken from the text as typed.
 */
function patternAsTyped(text: string, joined: string | undefined): string | undefined {
  if (!joined?.startsWith('{')) return joined;
  const normalised = text
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const open = normalised.indexOf('{');
  const close = normalised.lastIndexOf('}');
  return open !== -1 && close > open ? normalised.slice(open, close + 1) : joined;
}

const logsAws = defineCommand({
  name: 'logs',
  summary: "Recent lines from the environment's CloudWatch Logs groups, optionally filtered, newest last",
  usage: '[env] [pattern] [--since 15m] [--errors]',
  examples: [
    'logs',
    'logs prod --errors',
    'logs prod "connection refused" --since 1h',
    'logs prod { $.level = "error" }',
  ],
  risk: 'read',
  positionals: ['...pattern'],
  args: z.object({
    pattern: z.string().max(1024).optional(),
    since: durationSchema.default(15 * 60_000),
    errors: z.boolean().default(false),
  }),
  async run(ctx, args) {
    const groups = ctx.env.logs?.groups;
    if (!groups?.length) {
      throw new UserError(
        `\`${ctx.envName}\` has no log groups configured.`,
        `Add \`logs: { groups: [${suggestGroups(ctx.env)}] }\` to this environment in ops.yml.`,
      );
    }
    if (args.since < 60_000 || args.since > 7 * 86_400_000) {
      throw new UserError(
        `\`--since ${formatDuration(args.since)}\` is out of range: use between 1m and 7d.`,
        'For example: `/ops logs --since 30m`',
      );
    }
    const started = Date.now();
    const now = ctx.services.clock();
    const start = new Date(now.getTime() - args.since);
    const typed = patternAsTyped(ctx.text, args.pattern);
    const serverPattern = typed ?? (args.errors ? ERROR_PATTERN : undefined);
    const s = ctx.aws();

    const results = await Promise.all(
      groups.map(async (group) => ({
        group,
        part: await settle(filterLogGroup(s, group, { pattern: serverPattern, start, end: now, keep: KEEP_PER_GROUP })),
      })),
    );
    let lines: LogLineView[] = [];
    let truncated = false;
    const failed: { what: string; error: string }[] = [];
    for (const { group, part } of results) {
      if (!part.ok) failed.push({ what: group, error: part.error });
      else {
        lines.push(...part.value.lines);
        truncated ||= part.value.truncated;
      }
    }
    // A pattern of the user's own plus --errors: the server filters by the pattern, we keep the errors.
    if (typed && args.errors) lines = lines.filter((l) => ERROR_RE.test(l.message));
    lines.sort((a, b) => a.at.getTime() - b.at.getTime());
    return renderLogs({
      env: ctx.envName,
      region: s.region,
      checkedAt: now,
      tookMs: Date.now() - started,
      windowMs: args.since,
      groups,
      pattern: typed,
      errorsOnly: args.errors,
      lines,
      truncated,
      failed,
      notes: s.notes,
    });
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const logs = withSelfHostedLogs(logsAws);
