import { z } from 'zod';
import { actionJob } from '../../src/aws/action-job.js';
import { requireRds } from '../../src/aws/action-target.js';
import { latestFreeStorageGb } from '../../src/aws/rds.js';
import { describeForChange, followModification, modifyStorage } from '../../src/aws/rds-changes.js';
import { ACTION_HARD_LIMITS } from '../../src/config/schema.js';
import { defineCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import type { Plan } from '../../src/core/plan.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../../src/errors.js';
import { renderStorageDone, storageEffect } from '../../views/db-rds-changes.js';

/** The plan's data and the job's: the instance's storage when asked, and what it becomes. */
export interface StorageJobData {
  env: string;
  instance: string;
  fromGb: number;
  fromMaxGb?: number;
  status: string;
  toGb: number;
  maxGb?: number;
  freeBeforeGb?: number;
}

/** 10% more, rounded up to whole GiB (integer arithmetic: 50 * 1.1 is 55.000000000000007). */
const plus10 = (gb: number) => Math.ceil((gb * 11) / 10);

/** RDS's limit for gp2/gp3/io1 Postgres volumes. */
const MAX_GIB = 65_536;

export const dbStorageJob = definePlannedJob<StorageJobData>({
  name: 'db.storage',
  timeoutMs: ACTION_HARD_LIMITS.restore,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    const live = await describeForChange(step(), data.instance);
    const again = `Look with \`/ops db size ${data.env}\`, then ask again with \`/ops db storage ${data.env} ${data.toGb}${data.maxGb ? ` --max ${data.maxGb}` : ''}\`.`;
    requireUnchanged(
      live.allocatedGb === data.fromGb && (live.maxAllocatedGb ?? null) === (data.fromMaxGb ?? null),
      `\`${data.instance}\` now has ${live.allocatedGb} GiB${live.maxAllocatedGb ? ` (autoscaling to ${live.maxAllocatedGb})` : ''}, not ${data.fromGb} GiB${data.fromMaxGb ? ` (autoscaling to ${data.fromMaxGb})` : ''} as when the change was approved; nothing was changed.`,
      again,
    );
    requireUnchanged(
      live.status === data.status,
      `\`${data.instance}\` is now ${live.status}, not ${data.status} as when the change was approved; nothing was changed.`,
      again,
    );
    await ctx.progress(2, `ModifyDBInstance ${data.fromGb} → ${data.toGb} GiB`);
    await modifyStorage(step(), data.instance, data.toGb, data.maxGb);
    // RDS answers modifying, then storage-optimization (hours, serving normally) or available: either means done.
    const db = await followModification(
      clients,
      following(timing.restoreTimeoutMs),
      data.instance,
      `\`${data.instance}\` to have ${data.toGb} GiB`,
      (d) => d.allocatedGb === data.toGb && (d.status === 'available' || d.status === 'storage-optimization'),
    );
    const freeAfterGb = await latestFreeStorageGb(step(), data.instance, ctx.services.clock()).catch(() => undefined);
    return renderStorageDone({ ...data, status: db.status, freeAfterGb });
  },
});

async function planStorage(ctx: CommandContext, gb: number, maxGb?: number): Promise<Plan<StorageJobData>> {
  const instance = requireRds(ctx.envName, ctx.env);
  const s = ctx.aws();
  const db = await describeForChange(s, instance);
  if (gb < db.allocatedGb)
    throw new UserError(
      `\`${instance}\` has ${db.allocatedGb} GiB; RDS cannot shrink storage, so ${gb} GiB is refused.`,
      `Storage only grows. To use less, restore a dump into a new, smaller instance. To grow: \`/ops db storage ${ctx.envName} ${plus10(db.allocatedGb)}\`.`,
    );
  if (gb > MAX_GIB || (maxGb ?? 0) > MAX_GIB)
    throw new UserError(`RDS Postgres storage is at most ${MAX_GIB} GiB.`, 'Ask for less.');
  if (gb > db.allocatedGb && gb < plus10(db.allocatedGb))
    throw new UserError(
      `RDS grows storage by at least 10%: ${db.allocatedGb} GiB can become ${plus10(db.allocatedGb)} GiB or more, not ${gb}.`,
      `\`/ops db storage ${ctx.envName} ${plus10(db.allocatedGb)}\``,
    );
  if (maxGb !== undefined && maxGb < plus10(gb))
    throw new UserError(
      `--max must be at least 10% above the storage: at least ${plus10(gb)} GiB for ${gb} GiB, not ${maxGb}.`,
      `The guides let it grow to about double: \`/ops db storage ${ctx.envName} ${gb} --max ${gb * 2}\`.`,
    );
  if (gb === db.allocatedGb && (maxGb === undefined || maxGb === db.maxAllocatedGb))
    throw new UserError(
      `\`${instance}\` already has ${gb} GiB${db.maxAllocatedGb ? ` with autoscaling to ${db.maxAllocatedGb} GiB` : ''}; nothing to change.`,
      `To turn on autoscaling: \`/ops db storage ${ctx.envName} ${gb} --max ${gb * 2}\`.`,
    );
  if (db.status !== 'available')
    throw new UserError(
      `\`${instance}\` is ${db.status}; RDS changes storage only of an available instance${db.status === 'storage-optimization' ? ', and allows one storage change every 6 hours' : ''}.`,
      `Wait until \`/ops status ${ctx.envName}\` shows it available, then ask again.`,
    );
  const planned = ctx.services.clock();
  const freeBeforeGb = await latestFreeStorageGb(s, instance, planned).catch(() => undefined);
  return {
    command: 'db storage',
    env: ctx.envName,
    args: { gb, max: maxGb },
    summary: `Grow RDS \`${instance}\` storage ${db.allocatedGb} → ${gb} GiB${maxGb ? `, autoscaling to ${maxGb} GiB` : ''}`,
    effects: [
      storageEffect({
        instance,
        fromGb: db.allocatedGb,
        toGb: gb,
        fromMaxGb: db.maxAllocatedGb,
        maxGb,
        freeGb: freeBeforeGb,
      }),
    ],
    targets: [{ kind: 'rds-instance', id: instance, detail: `${db.allocatedGb} GiB ${db.storageType ?? ''}`.trim() }],
    preconditions: [
      { what: `${instance} has GiB`, expected: db.allocatedGb },
      { what: `${instance} autoscales to GiB (null: off)`, expected: db.maxAllocatedGb ?? null },
      { what: `${instance} is`, expected: db.status },
    ],
    data: {
      env: ctx.envName,
      instance,
      fromGb: db.allocatedGb,
      fromMaxGb: db.maxAllocatedGb,
      status: db.status,
      toGb: gb,
      maxGb,
      freeBeforeGb,
    },
    plannedAt: planned.toISOString(),
  };
}

/** Whole GiB; "40", "40GB", "40G" and "40GiB" all mean 40. */
const gib = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\s*gi?b?$/i, '') : v),
    z.coerce
      .number({ error: `is required: ${what} in GiB, such as 40` })
      .int('is whole GiB')
      .positive('is more than 0 GiB'),
  );

export const dbStorage = defineCommand({
  name: 'db storage',
  summary: 'Grow RDS storage (never shrinks) and set storage autoscaling with --max; free storage before and after',
  usage: '[env] <GB> [--max <GB>]',
  examples: ['db storage prod 40 --max 100', 'db storage prod 50'],
  risk: 'dangerous',
  positionals: ['gb'],
  args: z.object({ gb: gib('the new storage'), max: gib('the autoscaling limit').optional() }),
  jobs: [dbStorageJob],
  plan: (ctx, { gb, max }) => planStorage(ctx, gb, max),
  async execute(_ctx, { data }) {
    return {
      job: {
        name: dbStorageJob.name,
        data: { ...data },
        title: `Storage ${data.env}: ${data.instance} ${data.fromGb} → ${data.toGb} GiB`,
      },
    };
  },
});
