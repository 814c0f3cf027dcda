import { z } from 'zod';
import { durationSchema, formatDuration, parseDuration } from '../duration.js';
import {
  addBusinessTime,
  endOfNextBusinessDay,
  toBusinessCalendar,
  type BusinessCalendar,
  type BusinessCalendarConfig,
} from './business-calendar.js';
import { DEFAULT_SEVERITIES } from './defaults.js';

/**
 * Incident response targets: how long after the declaration someone must acknowledge. A target is a
 * wall-clock duration (P0 15m), a duration of business time (`businessHours: true`: SoleMate's "4 hours
 * response (business hours)"), or `next-business-day` (ESN's P3), counted in the business calendar.
 */

export const NEXT_BUSINESS_DAY = 'next-business-day';

export const severityPolicySchema = z.strictObject({
  label: z.string().optional(),
  respondWithin: z.union([z.literal(NEXT_BUSINESS_DAY), durationSchema]).optional(),
  /** Count respondWithin in business hours only (always so for next-business-day). */
  businessHours: z.boolean().optional(),
});
type GivenPolicy = z.output<typeof severityPolicySchema>;

export type Level = keyof typeof DEFAULT_SEVERITIES;

export interface SeverityPolicy {
  label: string;
  /** Milliseconds (of wall-clock or business time), or "the next business day". */
  respondWithin: number | typeof NEXT_BUSINESS_DAY;
  businessHours: boolean;
  /** Where the target comes from: the guide of the default, or ops.yml. */
  guide: string;
}

/** Every level's policy: the guides' defaults, with what ops.yml sets on top. */
export function resolveSeverities(
  given: Partial<Record<Level, GivenPolicy>> | undefined,
): Record<Level, SeverityPolicy> {
  const out = {} as Record<Level, SeverityPolicy>;
  for (const [level, d] of Object.entries(DEFAULT_SEVERITIES) as [Level, (typeof DEFAULT_SEVERITIES)[Level]][]) {
    const own = given?.[level];
    const fallback: SeverityPolicy = {
      label: d.label,
      respondWithin: d.respondWithin === NEXT_BUSINESS_DAY ? NEXT_BUSINESS_DAY : parseDuration(d.respondWithin)!,
      businessHours: d.businessHours,
      guide: d.guide,
    };
    const within = own?.respondWithin;
    out[level] =
      within === undefined
        ? {
            ...fallback,
            label: own?.label ?? fallback.label,
            businessHours: own?.businessHours ?? fallback.businessHours,
            guide: own?.businessHours === undefined ? fallback.guide : 'ops.yml',
          }
        : {
            label: own?.label ?? fallback.label,
            respondWithin: within,
            businessHours: within === NEXT_BUSINESS_DAY || (own?.businessHours ?? false),
            guide: 'ops.yml',
          };
  }
  return out;
}

/** When the response is due for an incident declared at `declaredAt`. */
export function responseDue(policy: SeverityPolicy, cal: BusinessCalendar, declaredAt: Date): Date {
  if (policy.respondWithin === NEXT_BUSINESS_DAY) return endOfNextBusinessDay(cal, declaredAt);
  if (policy.businessHours) return addBusinessTime(cal, declaredAt, policy.respondWithin);
  return new Date(declaredAt.getTime() + policy.respondWithin);
}

/** "15m", "4 business hours", "24 business hours", "next business day": the target as people read it. */
export function describeResponseTarget(policy: SeverityPolicy): string {
  if (policy.respondWithin === NEXT_BUSINESS_DAY) return 'next business day';
  if (!policy.businessHours) return formatDuration(policy.respondWithin);
  const hours = policy.respondWithin / 3_600_000;
  if (Number.isInteger(hours)) return `${hours} business hour${hours === 1 ? '' : 's'}`;
  return `${formatDuration(policy.respondWithin)} of business hours`;
}

interface TargetConfig {
  timezone: string;
  businessCalendar: BusinessCalendarConfig;
  incidents: { severities: Record<Level, SeverityPolicy> };
}

/** A level's target as cards and messages show it: the label, the target in words, and when it is due. */
export function responseTarget(
  config: TargetConfig,
  level: Level,
  declaredAt: Date,
): { label: string; target: string; dueAt: Date } {
  const policy = config.incidents.severities[level];
  const cal = toBusinessCalendar(config.businessCalendar, config.timezone);
  return { label: policy.label, target: describeResponseTarget(policy), dueAt: responseDue(policy, cal, declaredAt) };
}
