import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { normalizeSchedule } from './schedule.js';

/**
 * `cloudfront:` and `cost:` of an environment, and the weekly `costReport:`
 * (issue 17). Targets and defaults name their guide (docs/defaults.md).
 */

/** Expo guide, "Frontend (S3/CloudFront)": 4xx < 1 %, total errors < 0.1 %, cache hit > 80 %; its warning alert: hit < 70 %. */
export const CDN_TARGETS = {
  /** warn: Expo "4xx Error Rate: < 1%"; critical: ESN "Error Rate … Alert > 5%" (4xx are never more than yellow). */
  error4xxPercent: { warn: 1, critical: 5 },
  /** warn: Expo "Total Error Rate: < 0.1%"; critical: Expo "5xx error rate > 5%" (critical alert). */
  error5xxPercent: { warn: 0.1, critical: 5, forMs: 5 * 60_000 },
  /** Expo "Total Error Rate: < 0.1%"; it counts 4xx too, so it is never more than yellow. */
  totalErrorPercent: { warn: 0.1, critical: 1 },
  /** warn: Expo "Cache Hit Ratio: > 80%"; critical: Expo's warning alert "Cache hit ratio < 70%" (never more than yellow). */
  cacheHitPercent: { warn: 80, critical: 70 },
} as const;

/** opsbot: CreateInvalidation of `/*` usually completes within a few minutes; past this the job stops following. */
export const DEFAULT_INVALIDATION_TIMEOUT = '15m';

/** Expo and SoleMate guides: "Weekly — Review costs"; Monday 09:00 in the configured time zone. */
export const DEFAULT_COST_REPORT_SCHEDULE = '0 9 * * 1';

export const cloudfrontSchema = z.strictObject({
  /** The distribution id, as `aws cloudfront create-invalidation --distribution-id` takes it. */
  distribution: z.string().regex(/^E[A-Z0-9]{5,20}$/, 'expected a CloudFront distribution id such as E1A2B3C4D5E6F7'),
  /** How long `/ops cdn invalidate` follows an invalidation before saying it is still in progress. */
  invalidationTimeout: durationSchema
    .refine((ms) => ms >= 1000 && ms <= 3_600_000, 'between 1s and 1h')
    .prefault(DEFAULT_INVALIDATION_TIMEOUT),
});

export const costSchema = z.strictObject({
  /** A cost allocation tag (activated in the Billing console) that marks this environment's resources. */
  tag: z.strictObject({ key: z.string().min(1).max(128), value: z.string().min(1).max(256) }).optional(),
});

export const costReportSchema = z.strictObject({
  channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD'),
  /** Cron in the config's time zone; default Monday 09:00 (the guides review costs weekly). */
  schedule: z
    .string()
    .prefault(DEFAULT_COST_REPORT_SCHEDULE)
    .refine((s) => normalizeSchedule(s).ok, 'expected a cron schedule such as "0 9 * * 1"'),
  /** The environments reported; default all that have `cost:` (else the first environment: the whole account). */
  environments: z.array(z.string().min(1)).optional(),
  /** The period compared with the one before it. */
  days: z.number().int().min(1).max(90).prefault(7),
});

export type CloudfrontConfig = z.output<typeof cloudfrontSchema>;
export type CostConfig = z.output<typeof costSchema>;
export type CostReportConfig = z.output<typeof costReportSchema>;
