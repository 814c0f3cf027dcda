import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { cronPeriodMs } from './backup-schedule.js';
import { httpUrl, severity } from './ids.js';
import { databaseBackupSchema, dockerTargetSchema, pm2TargetSchema } from './self-hosted.js';
import { thresholdsSchema } from './thresholds.js';
import { copyKmsKeySchema, drSchema } from './dr-schema.js';
import { cloudfrontSchema, costSchema } from './cdn-cost.js';
import { environmentAlarmsSchema } from './alarms-schema.js';

// One entry of ops.yml's `environments:` — what opsbot knows of a place the app runs (AWS or self-hosted).

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

export const environmentSchema = z.strictObject({
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
  /** The CloudFront distribution in front of this environment (/ops cdn). */
  cloudfront: cloudfrontSchema.optional(),
  /** Cost Explorer filter for /ops cost (a cost allocation tag); without it, the whole account. */
  cost: costSchema.optional(),
  /** Which CloudWatch alarms belong to this environment (AlarmNamePrefix; default: all in the region); alarms-schema.ts. */
  alarms: environmentAlarmsSchema.optional(),
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
      /** `/ops backup copy`: KMS key of the target region for encrypted snapshots (dr-schema.ts). */
      copyKmsKey: copyKmsKeySchema.optional(),
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
  /** `/ops dr test`: RTO/RPO targets and what is restored (dr-schema.ts). */
  dr: drSchema.optional(),
});
