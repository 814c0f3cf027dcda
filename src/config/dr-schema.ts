import { z } from 'zod';
import { durationSchema } from '../duration.js';

/** The SoleMate guide's database objectives ("Database | 15 minutes | 5 minutes | Point-in-time recovery"). */
export const DR_DEFAULTS = { rto: '15m', rpo: '5m', method: 'snapshot' } as const;

/** environments.<env>.dr: what `/ops dr test` measures against, and what it restores. */
export const drSchema = z.strictObject({
  /** Achieved RTO (restore requested → instance available) must stay within this. */
  rto: durationSchema.prefault(DR_DEFAULTS.rto),
  /** Achieved RPO (age of what was restored: snapshot age, or now − latest restorable time) must stay within this. */
  rpo: durationSchema.prefault(DR_DEFAULTS.rpo),
  /** What a test restores by default: the latest snapshot, or the latest restorable point in time. */
  method: z.enum(['snapshot', 'point-in-time']).prefault(DR_DEFAULTS.method),
});

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as us-west-2');

/**
 * backup.copyKmsKey: the KMS key (ARN or alias of the TARGET region) that
 * `/ops backup copy` re-encrypts encrypted snapshots with; one for every region,
 * or one per region.
 */
export const copyKmsKeySchema = z.union([z.string().min(1), z.record(region, z.string().min(1))], {
  error: 'expected a KMS key ARN or alias, or one per AWS region such as { us-west-2: "arn:aws:kms:us-west-2:…" }',
});

export type DrConfig = z.output<typeof drSchema>;
