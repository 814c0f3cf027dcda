import type { OpsConfig } from '../config/schema.js';
import type { AwsAccess } from '../aws/clients.js';
import type { Chat } from '../core/chat.js';
import type { Feature } from '../core/feature.js';
import { defineJob, type JobScheduling } from '../core/job.js';
import type { Reply } from '../core/reply.js';
import { isUserError } from '../errors.js';
import { normalizeSchedule } from '../config/schedule.js';
import type { Logger } from '../log.js';
import { buildCostReport } from './cost.js';

export const COST_REPORT_JOB = 'cost.report';
export const COST_REPORT_SCHEDULER = 'cost-report';
/** The weekly report is not in a hurry: each environment's Cost Explorer call gets a longer budget than a command. */
const REPORT_DEADLINE_MS = 20_000;

export interface CostReportDeps {
  jobs: JobScheduling;
  /** Absent without a Slack token (the terminal): the report is then not scheduled. */
  chat?: Chat;
  aws: AwsAccess;
  config: OpsConfig;
  clock: () => Date;
  log: Logger;
}

/** The environments the report covers: as configured, else those with a cost tag, else the first (the whole account). */
export function reportedEnvironments(config: OpsConfig): string[] {
  const names = Object.keys(config.environments);
  const given = config.costReport?.environments;
  if (given) return given.filter((n) => names.includes(n));
  const tagged = names.filter((n) => config.environments[n].cost?.tag);
  return tagged.length ? tagged : names.slice(0, 1);
}

/**
 * The weekly cost report (the Expo and SoleMate guides review costs weekly): a BullMQ job scheduler on
 * `costReport.schedule` (default Monday 09:00) in the config's time zone posts `/ops cost` of each reported
 * environment to `costReport.channel`. Upserting is idempotent, so every worker may register it.
 */
export function costReportFeature(deps: CostReportDeps): Feature {
  const { config, log } = deps;
  const job = defineJob<Record<string, unknown>>({
    name: COST_REPORT_JOB,
    timeoutMs: 5 * 60_000,
    async run(): Promise<Reply> {
      const report = config.costReport;
      if (!report || !deps.chat) return { text: 'no cost report configured', blocks: [] };
      const posted: string[] = [];
      for (const envName of reportedEnvironments(config)) {
        const env = config.environments[envName];
        let reply: Reply;
        try {
          reply = await buildCostReport(deps.aws.session(env, { deadlineMs: REPORT_DEADLINE_MS }), {
            envName,
            env,
            days: report.days,
            by: 'service',
            now: deps.clock(),
          });
        } catch (err) {
          if (!isUserError(err)) throw err;
          const e = err as Error & { hint?: string };
          const text = `${envName}: the weekly cost report could not be made — ${e.message}${e.hint ? ` ${e.hint}` : ''}`;
          reply = { text, tone: 'warning', blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
        }
        await deps.chat.postJoining(report.channel, reply);
        posted.push(envName);
      }
      const text = `Weekly cost report posted for ${posted.join(', ') || 'no environment'}`;
      return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
    },
  });
  return {
    name: 'cost-report',
    jobs: [job],
    startWorkers: async () => {
      const report = config.costReport;
      if (!report || !deps.chat) return void (await deps.jobs.removeSchedule(COST_REPORT_SCHEDULER));
      const unknown = (report.environments ?? []).filter((n) => !(n in config.environments));
      if (unknown.length)
        log.warn({ unknown }, 'costReport.environments names environments ops.yml does not have; they are skipped');
      const check = normalizeSchedule(report.schedule);
      await deps.jobs.upsertSchedule(
        COST_REPORT_SCHEDULER,
        { pattern: check.ok ? check.pattern : report.schedule, tz: config.timezone },
        COST_REPORT_JOB,
        { data: {}, meta: { title: 'Weekly cost report', requestedBy: 'opsbot' } },
      );
      log.info(
        { schedule: report.schedule, timezone: config.timezone, channel: report.channel },
        'cost report scheduled',
      );
    },
  };
}
