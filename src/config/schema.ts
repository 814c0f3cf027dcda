import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { DEFAULT_ALARM_SEVERITY_PATTERNS, DEFAULT_APPROVAL_EXPIRY, DEFAULT_PROBE_TIMEOUT } from './defaults.js';
import { businessCalendarSchema } from './business-calendar.js';
import { resolveSeverities, severityPolicySchema } from './response-targets.js';
import { severityWordProblems, severityWordsSchema } from './severity-words.js';
import { checklistProblems } from './checklist-rules.js';
import { oncallSchema } from './oncall-schema.js';
import { environmentSchema } from './environment-schema.js';
import { httpUrl, severity, slackChannelId, slackUserId, slackUsergroupId } from './ids.js';
import { savedQueriesSchema } from './saved-queries.js';
import { costReportSchema } from './cdn-cost.js';

export { ACTION_HARD_LIMITS } from './environment-schema.js';

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
      .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/, 'environment names are lower-case words such as prod'),
        environmentSchema,
      )
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
    /** The weekly cost report (cdn-cost.ts). */
    costReport: costReportSchema.optional(),
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
