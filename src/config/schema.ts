import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { DEFAULT_ALARM_SEVERITY_PATTERNS, DEFAULT_APPROVAL_EXPIRY, DEFAULT_PROBE_TIMEOUT } from './defaults.js';
import { thresholdsSchema } from './thresholds.js';
import { cronPeriodMs } from './backup-schedule.js';
import { checklistProblems } from './checklist-rules.js';
import { oncallSchema } from './oncall-schema.js';
import { databaseBackupSchema, dockerTargetSchema, pm2TargetSchema } from './self-hosted.js';
import { savedQueriesSchema } from './saved-queries.js';
import { businessCalendarSchema } from './business-calendar.js';
import { resolveSeverities, severityPolicySchema } from './response-targets.js';
import { severityWordProblems, severityWordsSchema } from './severity-words.js';

const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD');
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U0123ABCD');
const slackUsergroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'expected a Slack user group id such as S0123ABCD');
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const severity = z.enum(['P0', 'P1', 'P2', 'P3', 'P4']);

const healthProbe = z.strictObject({
  name: z.string().min(1),
  url: httpUrl,
  expectStatus: z.number().int().min(100).max(599).prefault(200),
  timeout: durationSchema.optional(),
  /** Healthy only when these JSON body fields have these values, e.g. { status: ok } (the Invoice guide's /health). */
  expectJson: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  /** Synthetic check: probe on this schedule and raise an alert after `failAfter` failures in a row (ESN's Uptime Robot). */
  every: durationSchema.refine((ms) => ms >= 1000, 'at least 1s').optional(),
  failAfter: z.number().int().min(1).max(20).prefault(2),
  /** The synthetic check's alert severity (routes may override it); default P1. */
  severity: severity.optional(),
});

/** Job time limits for AWS actions: configured timeouts may shorten them, never exceed them. */
export const ACTION_HARD_LIMITS = { rollout: 2 * 3_600_000, snapshot: 4 * 3_600_000, restore: 4 * 3_600_000 } as const;

const environment = z.strictObject({
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as us-east-1')
    .optional(),
  health: z.array(healthProbe).prefault([]),
  beanstalk: z.strictObject({ application: z.string().min(1), environment: z.string().min(1) }).optional(),
  ecs: z.strictObject({ cluster: z.string().min(1), services: z.array(z.string().min(1)).min(1) }).optional(),
  rds: z
    .strictObject({
      instance: z.string().min(1),
      /** For connections as % of max; default: estimated from the instance class. */
      maxConnections: z.number().int().positive().optional(),
    })
    .optional(),
  /** Application Load Balancer (ARN or "app/name/id") for latency and error-rate metrics. */
  loadBalancer: z.string().min(1).optional(),
  elasticache: z.strictObject({ cluster: z.string().min(1) }).optional(),
  /** Which CloudWatch alarms belong to this environment (AlarmNamePrefix); default: all in the region. */
  alarms: z.strictObject({ prefix: z.string().min(1) }).optional(),
  database: z
    .strictObject({
      url: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
      statementTimeout: durationSchema.prefault('5s'),
      /** pg_dump backups into a folder (guides 001 and 003); see self-hosted.ts for the defaults. */
      backup: databaseBackupSchema.optional(),
    })
    .optional(),
  /** A Docker Engine and compose project (guide 001 runs ESN on docker-compose). */
  docker: dockerTargetSchema.optional(),
  /** A pm2 daemon on the worker's machine (guide 003 runs the Invoice API under pm2). */
  pm2: pm2TargetSchema.optional(),
  redis: z.strictObject({ url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL') }).optional(),
  logs: z
    .strictObject({
      groups: z.array(z.string().min(1)).min(1),
      /** Saved Logs Insights queries for `/ops logs insights <name>`, beside the built-in errors/response-times/security. */
      queries: z
        .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case name such as slow-requests'), z.string().min(1))
        .optional(),
    })
    .optional(),
  /** Per-component warning and critical lines (defaults.ts names the guide of each); the old flat keys still work. */
  thresholds: thresholdsSchema.prefault({}),
  /** Following long AWS actions (rollback, restart, scale, backup, restore); defaults in ACTION_TIMING_DEFAULTS. */
  actions: z
    .strictObject({
      pollInterval: durationSchema.optional(),
      /** rollback, restart and scale: until Ready/Green or the deployment COMPLETED. */
      rolloutTimeout: durationSchema.refine((ms) => ms <= ACTION_HARD_LIMITS.rollout, 'at most 2h').optional(),
      snapshotTimeout: durationSchema.refine((ms) => ms <= ACTION_HARD_LIMITS.snapshot, 'at most 4h').optional(),
      restoreTimeout: durationSchema.refine((ms) => ms <= ACTION_HARD_LIMITS.restore, 'at most 4h').optional(),
      /** How long an environment may stay Yellow/Red after an update before it counts as failed. */
      healthGrace: durationSchema.optional(),
    })
    .optional(),
  backup: z
    .strictObject({
      /** When backups are taken (cron); the newest must be younger than one period plus `margin`. Default: daily at 2 AM. */
      schedule: z
        .string()
        .refine((c) => cronPeriodMs(c) !== undefined, 'expected a cron schedule such as "0 2 * * *"')
        .optional(),
      margin: durationSchema.optional(),
      verify: z
        .strictObject({
          /** A pg_dump -Fc file, or a folder whose newest file is used; without it, the latest RDS snapshot is restored. */
          dumpPath: z.string().min(1).optional(),
          /** The Postgres server a scratch database is created on (its user needs CREATEDB). */
          scratchUrl: z
            .string()
            .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
            .optional(),
          checks: z
            .strictObject({
              /** Tables whose row counts are compared; default: the largest `largest` tables of the source. */
              tables: z.array(z.string().min(1)).optional(),
              largest: z.number().int().min(1).max(50).optional(),
              /** How far the restored count may be from the live one (the live database kept changing). */
              tolerancePercent: z.number().min(0).max(100).optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

const role = z.strictObject({
  users: z.array(slackUserId).prefault([]),
  usergroups: z.array(slackUsergroupId).prefault([]),
});

const accessRule = z.strictObject({
  commands: z.array(z.string().min(1)).min(1),
  allow: z.array(z.string().min(1)).optional(),
  approval: z
    .strictObject({
      approvers: z.array(z.string().min(1)).min(1),
      count: z.number().int().min(1).prefault(1),
      expires: durationSchema.prefault(DEFAULT_APPROVAL_EXPIRY),
    })
    .optional(),
});

const alertRoute = z.strictObject({
  match: z
    .strictObject({
      alarmName: z.string().optional(),
      namespace: z.string().optional(),
      environment: z.string().optional(),
      source: z.string().optional(),
      severity: severity.optional(),
    })
    .prefault({}),
  channel: slackChannelId,
  severity: severity.optional(),
  mention: z.array(z.string()).prefault([]),
  runbook: httpUrl.optional(),
  autoIncident: z.boolean().prefault(false),
});

const checklistItem = z.union([
  z
    .string()
    .min(1)
    .transform((text) => ({ text })),
  z.strictObject({ text: z.string().min(1), command: z.string().optional(), runbook: httpUrl.optional() }),
]);

const checklist = z.strictObject({
  title: z.string().optional(),
  schedule: z.string().optional(),
  channel: slackChannelId.optional(),
  owner: z.string().optional(),
  dueAfter: durationSchema.optional(),
  items: z.array(checklistItem).optional(),
  enabled: z.boolean().prefault(true),
  /** Remind in the thread when overdue (default true), then again, louder, escalateAfter later (default 2h). */
  nag: z.boolean().optional(),
  escalateAfter: durationSchema.optional(),
});

export const configSchema = z
  .strictObject({
    timezone: z
      .string()
      .prefault('UTC')
      .refine((tz) => isValidTimeZone(tz), 'expected an IANA time zone such as UTC or Europe/Berlin'),
    environments: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'environment names are lower-case words such as prod'), environment)
      .refine((envs) => Object.keys(envs).length > 0, 'at least one environment is required'),
    channels: z
      .strictObject({
        alerts: slackChannelId.optional(),
        incidents: slackChannelId.optional(),
        approvals: slackChannelId.optional(),
      })
      .prefault({}),
    probes: z
      .strictObject({ timeout: durationSchema.prefault(DEFAULT_PROBE_TIMEOUT) })
      .prefault({ timeout: DEFAULT_PROBE_TIMEOUT }),
    access: z
      .strictObject({
        roles: z.record(z.string(), role).prefault({}),
        rules: z.array(accessRule).prefault([]),
      })
      .prefault({ roles: {}, rules: [] }),
    alerts: z
      .strictObject({
        routes: z.array(alertRoute).prefault([]),
        groupWindow: durationSchema.prefault('30s'),
        snsTopics: z.array(z.string()).prefault([]),
        webhookToken: z.string().optional(),
        /** More than `threshold` new alerts in one channel within `window`: one summary message that keeps updating. */
        storm: z
          .strictObject({ threshold: z.number().int().min(1).prefault(10), window: durationSchema.prefault('2m') })
          .prefault({}),
        /** CloudWatch DescribeAlarms polling, for teams without a public URL for SNS. */
        poll: z
          .strictObject({ every: durationSchema.prefault('60s'), enabled: z.boolean().prefault(false) })
          .prefault({}),
        /** Unacknowledged firing alerts are mentioned again in their thread after this long. */
        renotify: durationSchema.prefault('4h'),
        /** How often expired silences are reported and re-notifications are due. */
        sweepEvery: durationSchema.prefault('30s'),
        defaultSeverity: severity.prefault('P2'),
        /** Severity words of webhooks and labels (critical, high, …) → P-levels; merged over DEFAULT_SEVERITY_WORDS. */
        severityWords: severityWordsSchema,
        /** Alarms without a severity that match no route with one: first matching name pattern (defaults: the guides' alarm names). */
        severityPatterns: z
          .array(z.strictObject({ alarmName: z.string().min(1), severity }))
          .prefault(DEFAULT_ALARM_SEVERITY_PATTERNS.map((p) => ({ ...p }))),
        /** Slack pacing per channel: about one message a second with short bursts. */
        delivery: z
          .strictObject({ perSecond: z.number().positive().prefault(1), burst: z.number().int().min(1).prefault(3) })
          .prefault({}),
      })
      .prefault({ routes: [], groupWindow: '30s', snsTopics: [] }),
    incidents: z
      .strictObject({
        // partialRecord: a file may set only the levels it changes; the rest keep the guides' defaults.
        severities: z.partialRecord(severity, severityPolicySchema).optional(),
        updateReminder: durationSchema.prefault('30m'),
        /** Severities whose owner is reminded when no update was posted for updateReminder. */
        reminderSeverities: z.array(severity).prefault(['P0', 'P1']),
        /** The access.roles entry invited to every incident channel and mentioned on escalation. */
        oncallRole: z.string().min(1).optional(),
        /** Incident channels are named <channelPrefix>-<yyyymmdd>-<slug>. */
        channelPrefix: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{0,19}$/, 'lower-case letters, digits, - and _, at most 20')
          .prefault('inc'),
        privateChannels: z.boolean().prefault(false),
      })
      .prefault({ updateReminder: '30m' })
      .transform((given) => ({ ...given, severities: resolveSeverities(given.severities) })),
    /** Working days, hours and holidays for business-hours response targets (business-calendar.ts). */
    businessCalendar: businessCalendarSchema,
    oncall: oncallSchema.optional(),
    /** Saved read-only queries for /ops query (saved-queries.ts). */
    queries: savedQueriesSchema,
    checklists: z
      .record(z.string(), checklist)
      .prefault({})
      .superRefine((lists, ctx) => {
        for (const [name, entry] of Object.entries(lists)) {
          for (const p of checklistProblems(name, entry))
            ctx.addIssue({ code: 'custom', path: [name, ...p.path], message: p.message });
        }
      }),
  })
  .superRefine((config, ctx) => {
    for (const p of severityWordProblems(config)) ctx.addIssue({ code: 'custom', ...p });
    for (const [name, query] of Object.entries(config.queries)) {
      if (query.env && !(query.env in config.environments))
        ctx.addIssue({ code: 'custom', path: ['queries', name, 'env'], message: `unknown environment "${query.env}"` });
    }
    const roles = new Set(Object.keys(config.access.roles));
    config.access.rules.forEach((rule, i) => {
      for (const [field, names] of [
        ['allow', rule.allow ?? []],
        ['approval.approvers', rule.approval?.approvers ?? []],
      ] as const) {
        names.forEach((name, j) => {
          if (!roles.has(name)) {
            ctx.addIssue({
              code: 'custom',
              path: ['access', 'rules', i, ...field.split('.'), j],
              message: `unknown role "${name}"; define it under access.roles (known: ${[...roles].join(', ') || 'none'})`,
            });
          }
        });
      }
    });
  });

/** The validated configuration, with every default filled in. */
export type OpsConfig = z.output<typeof configSchema>;
export type EnvironmentConfig = OpsConfig['environments'][string];
export type AccessRule = OpsConfig['access']['rules'][number];
export type Thresholds = EnvironmentConfig['thresholds'];

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
