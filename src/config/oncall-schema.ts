import { z } from 'zod';
import { durationSchema } from '../duration.js';

/**
 * The `oncall:` section of ops.yml: schedules (layers of people taking turns),
 * escalation policies per severity, and optional outbound pagers. Defaults
 * come from the guides in shared/seeds, each named where it is used.
 */

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U0123ABCD');
const slackUsergroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'expected a Slack user group id such as S0123ABCD');
const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD');
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const severity = z.enum(['P0', 'P1', 'P2', 'P3', 'P4']);
export type OncallSeverity = z.output<typeof severity>;
const name = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'names are lower-case words such as primary');

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const weekday = z.enum(WEEKDAYS);
const clock = z
  .string()
  .regex(/^(([01]?\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a wall-clock time such as 09:00 (24:00 is the end of a day)');
const civilDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-01-05')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real calendar date');

/** Business hours: Mon–Fri 09:00–18:00, from SoleMate's daily checklist ("Morning (9 AM)" … "Evening (6 PM)"). */
export const DEFAULT_BUSINESS_HOURS = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'] as (typeof WEEKDAYS)[number][],
  from: '09:00',
  to: '18:00',
};

/** A weekly window in the schedule's time zone; `to` before `from` runs past midnight. */
const windowSchema = z.strictObject({
  days: z.array(weekday).min(1).prefault(DEFAULT_BUSINESS_HOURS.days),
  from: clock.prefault(DEFAULT_BUSINESS_HOURS.from),
  to: clock.prefault(DEFAULT_BUSINESS_HOURS.to),
});
export type OncallWindow = z.output<typeof windowSchema>;

/** `business-hours` is oncall.businessHours; `weekdays` is Monday to Friday, all day. */
const restriction = z.union([z.literal('business-hours'), z.literal('weekdays'), windowSchema]);

/** weekly | daily | "every 3 days" | { everyDays: 3 } → the shift length in days. */
const rotation = z
  .union([
    z.enum(['weekly', 'daily']),
    z.string().regex(/^every \d+ days?$/, 'expected weekly, daily or "every N days"'),
    z.strictObject({ everyDays: z.number().int().min(1).max(366) }),
  ])
  .transform((r) => {
    if (r === 'weekly') return 7;
    if (r === 'daily') return 1;
    if (typeof r === 'string') return Number(/\d+/.exec(r)![0]);
    return r.everyDays;
  })
  .refine((days) => days >= 1 && days <= 366, 'a shift lasts between 1 and 366 days');

const layer = z.strictObject({
  /** Slack users taking turns in this order, or a user group whose members do (sorted by id). */
  members: z.union([z.array(slackUserId).min(1), z.strictObject({ usergroup: slackUsergroupId })]),
  // Weekly: the guides name a rotation (SoleMate "On-Call Rotation", ESN "On-Call Rotation: [Link to PagerDuty]")
  // without a length; a week is PagerDuty's default and what small teams use.
  rotation: rotation.prefault('weekly'),
  // 09:00: SoleMate's morning checklist (9 AM) starts with "Review overnight alerts and incidents", which is
  // exactly what the incoming person should do.
  handoff: clock.prefault('09:00'),
  /** The first shift, with the first member, starts at `handoff` on this date; a weekly rotation hands off on its weekday. */
  start: civilDate.prefault('2024-01-01'), // a Monday
  /** Outside these windows this layer has nobody on call (and pages skip it). */
  restrictions: restriction.optional(),
});
export type OncallLayerConfig = z.output<typeof layer>;

const schedule = z.strictObject({
  description: z.string().optional(),
  /** Default: the top-level `timezone`. */
  timezone: z.string().optional(),
  /** Handoff messages go here. */
  channel: slackChannelId.optional(),
  /** A user group whose membership follows who is on call now (every layer), so @oncall reaches them. */
  usergroup: slackUsergroupId.optional(),
  /** In order: the first is the primary. */
  layers: z.record(name, layer).refine((l) => Object.keys(l).length > 0, 'a schedule needs at least one layer'),
});
export type OncallScheduleConfig = z.output<typeof schedule>;

/** primary | secondary | <any layer> | <access role> | @U0ALICE | S0GROUP */
const target = z
  .string()
  .regex(/^(@[UW][A-Z0-9]{2,}|S[A-Z0-9]{2,}|[a-z][a-z0-9_-]*)$/, 'expected a layer, a role, @U0USER or S0USERGROUP');

const step = z.strictObject({
  notify: z.array(target).min(1),
  /** Since the page opened (or since the current repeat began): 0 is at once. */
  after: durationSchema.prefault(0),
});

const policy = z
  .strictObject({
    /** Default: the first schedule. */
    schedule: name.optional(),
    steps: z.array(step).min(1),
    /** How many times the whole chain runs again after the first pass, or until someone acknowledges. */
    repeat: z.union([z.number().int().min(0).max(100), z.literal('until-acknowledged')]).prefault(0),
    /** Pause after the last step before the chain starts again. */
    repeatAfter: durationSchema.prefault('15m'),
    /** Count time only inside oncall.businessHours: a page at night starts the next business morning. */
    businessHoursOnly: z.boolean().prefault(false),
  })
  .superRefine((p, ctx) => {
    p.steps.forEach((s, i) => {
      if (i > 0 && s.after < p.steps[i - 1].after)
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'after'],
          message: 'steps must not fire before the one above',
        });
    });
    if (p.repeatAfter <= 0 && p.repeat !== 0)
      ctx.addIssue({ code: 'custom', path: ['repeatAfter'], message: 'a repeating chain needs a pause above 0' });
  });
export type EscalationPolicyConfig = z.output<typeof policy>;

/**
 * Escalation defaults. SoleMate "Escalation Procedures" → Response Times: P1 immediate (< 15 minutes), P2 1 hour,
 * P3 4 hours (business hours), P4 24 hours (business hours); its "On-Call Rotation": Primary → Secondary →
 * Escalation (VP of Engineering). ESN's table puts a complete outage at P0 (15 minutes), so P0 pages like P1.
 */
export const DEFAULT_POLICIES: Record<OncallSeverity, z.input<typeof policy>> = {
  // ESN: P0 complete outage, respond within 15 minutes: the P1 chain, repeated until acknowledged.
  P0: {
    steps: [
      { notify: ['primary'], after: '0s' },
      { notify: ['secondary'], after: '5m' },
      { notify: ['escalation'], after: '15m' },
    ],
    repeat: 'until-acknowledged',
    repeatAfter: '15m',
  },
  // SoleMate P1 (< 15 minutes): primary at once, secondary after 5 min, escalation after 15, until acknowledged.
  P1: {
    steps: [
      { notify: ['primary'], after: '0s' },
      { notify: ['secondary'], after: '5m' },
      { notify: ['escalation'], after: '15m' },
    ],
    repeat: 'until-acknowledged',
    repeatAfter: '15m',
  },
  // SoleMate P2 (1 hour response): secondary at half the target, escalation at the target, once.
  P2: {
    steps: [
      { notify: ['primary'], after: '0s' },
      { notify: ['secondary'], after: '30m' },
      { notify: ['escalation'], after: '1h' },
    ],
  },
  // SoleMate P3 (4 hours response, business hours): secondary when the target has passed, business hours only.
  P3: {
    steps: [
      { notify: ['primary'], after: '0s' },
      { notify: ['secondary'], after: '4h' },
    ],
    businessHoursOnly: true,
  },
  // SoleMate P4 (24 hours response, business hours): primary only, business hours only.
  P4: { steps: [{ notify: ['primary'], after: '0s' }], businessHoursOnly: true },
};

const pagerCommon = {
  timeout: durationSchema.prefault('5s'),
  /** Retries on 429, 5xx and network errors, with exponential backoff. */
  retries: z.number().int().min(0).max(10).prefault(3),
  /** Severities forwarded to this pager. */
  severities: z.array(severity).prefault(['P0', 'P1', 'P2']),
};

const pagers = z.strictObject({
  /** PagerDuty Events API v2. */
  pagerduty: z
    .strictObject({
      routingKey: z.string().min(1),
      baseUrl: httpUrl.prefault('https://events.pagerduty.com'),
      source: z.string().min(1).prefault('opsbot'),
      ...pagerCommon,
    })
    .optional(),
  /** Opsgenie Alert API, or Jira Service Management's (baseUrl https://api.atlassian.com/jsm/ops/integration). */
  opsgenie: z
    .strictObject({
      apiKey: z.string().min(1),
      baseUrl: httpUrl.prefault('https://api.opsgenie.com'),
      source: z.string().min(1).prefault('opsbot'),
      tags: z.array(z.string()).prefault([]),
      ...pagerCommon,
    })
    .optional(),
});
export type PagersConfig = z.output<typeof pagers>;

export const oncallSchema = z
  .strictObject({
    businessHours: windowSchema.prefault(DEFAULT_BUSINESS_HOURS),
    schedules: z
      .record(name, schedule)
      .refine((s) => Object.keys(s).length > 0, 'define at least one schedule under oncall.schedules'),
    // partialRecord: a file may set only the severities it changes; the rest keep the guides' defaults.
    policies: z.partialRecord(severity, policy).prefault({}),
    pagers: pagers.prefault({}),
  })
  .transform((o) => ({
    ...o,
    policies: Object.fromEntries(
      severity.options.map((level) => [level, o.policies[level] ?? policy.parse(DEFAULT_POLICIES[level])]),
    ) as Record<OncallSeverity, EscalationPolicyConfig>,
  }))
  .superRefine((o, ctx) => {
    const names = Object.keys(o.schedules);
    for (const [level, p] of Object.entries(o.policies)) {
      if (p.schedule && !o.schedules[p.schedule])
        ctx.addIssue({
          code: 'custom',
          path: ['policies', level, 'schedule'],
          message: `unknown schedule "${p.schedule}" (known: ${names.join(', ')})`,
        });
    }
  });

export type OncallConfig = z.output<typeof oncallSchema>;
