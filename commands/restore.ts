import { actionJob } from '../src/aws/action-job.js';
import { z } from 'zod';
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import { defineCommand, type Plan } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../src/errors.js';
import { ACTION_HARD_LIMITS } from '../src/config/schema.js';
import { requireRds } from '../src/aws/action-target.js';
import {
  followInstance,
  getInstance,
  getSnapshot,
  newInstanceName,
  restoreToNewInstance,
} from '../src/aws/snapshots.js';
import { renderRestoreDone, restoreEffect, restoreJobTitle } from '../views/backups.js';
import { withSelfHostedRestore } from './self-hosted/restore.js';
import { isPitrData, pitrExecute, pitrRestoreJob, planPointInTime, type PitrJobData } from './restore-pitr.js';

/** The plan's data and the job's: the snapshot (and when it was taken), the new instance's name, the live one. */
export interface RestoreJobData {
  env: string;
  live: string;
  snapshot: string;
  newId: string;
  /** ISO time the snapshot was created, so a snapshot deleted and re-taken under the same name is not restored. */
  snapshotCreatedAt?: string;
}

export const restoreJob = definePlannedJob<RestoreJobData>({
  name: 'actions.restore',
  // Its steps are also streamed as a log in the thread of its message (chat.startStream).
  streamLog: true,
  timeoutMs: ACTION_HARD_LIMITS.restore,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    const snap = await getSnapshot(step(), data.snapshot);
    const again = `Ask again with \`/ops restore ${data.env} <snapshot>\`; see them with \`/ops backup list ${data.env}\`.`;
    requireUnchanged(
      snap !== undefined,
      `Snapshot \`${data.snapshot}\` no longer exists (it was deleted after the restore was approved); nothing was restored.`,
      again,
    );
    requireUnchanged(
      snap!.status === 'available',
      `Snapshot \`${data.snapshot}\` is now ${snap!.status}, not available as when the restore was approved; nothing was restored.`,
      again,
    );
    requireUnchanged(
      !data.snapshotCreatedAt || snap!.createdAt?.toISOString() === data.snapshotCreatedAt,
      `Snapshot \`${data.snapshot}\` was taken again (${snap!.createdAt?.toISOString() ?? 'time unknown'}) since the restore was approved; nothing was restored.`,
      again,
    );
    const like = await getInstance(step(), data.live);
    if (!like)
      throw new UserError(
        `RDS has no instance \`${data.live}\` to copy the network settings from.`,
        'Check rds.instance in ops.yml.',
      );
    if (await getInstance(step(), data.newId))
      throw new UserError(
        `An instance \`${data.newId}\` already exists, so nothing was restored.`,
        'Ask again in a minute (the name carries the time).',
      );
    await ctx.progress(2, `RestoreDBInstanceFromDBSnapshot → ${data.newId}`);
    await restoreToNewInstance(step(), data.snapshot, data.newId, like);
    const restored = await followInstance(clients, following(timing.restoreTimeoutMs), data.newId);
    return renderRestoreDone({
      env: data.env,
      snapshot: data.snapshot,
      newId: data.newId,
      live: data.live,
      endpoint: restored.endpoint!,
    });
  },
});

async function plan(ctx: CommandContext, snapshotId: string) {
  const live = requireRds(ctx.envName, ctx.env);
  const s = ctx.aws();
  const [snap, like] = await Promise.all([getSnapshot(s, snapshotId), getInstance(s, live)]);
  if (!snap)
    throw new UserError(
      `RDS has no snapshot \`${snapshotId}\`.`,
      `See the snapshots with \`/ops backup list ${ctx.envName}\`.`,
    );
  if (snap.status !== 'available')
    throw new UserError(
      `Snapshot \`${snapshotId}\` is ${snap.status}, not available yet.`,
      `Follow it with \`/ops backup list ${ctx.envName}\`.`,
    );
  const now = ctx.services.clock();
  return {
    live,
    snap,
    like,
    newId: newInstanceName(live, 'restored', now),
    age: snap.createdAt ? `${formatDistanceStrict(snap.createdAt, now)} old` : 'age unknown',
  };
}

const restoreAws = defineCommand({
  name: 'restore',
  summary:
    'Restore an RDS snapshot, or the instance as of a point in time, to a NEW instance (never over the live one) and say how to point the app at it',
  usage: '[env] <snapshot> | --to-time "<ISO time>"',
  examples: ['restore prod opsbot-prod-20261123-0912', 'restore prod --to-time "2026-11-23T09:12:00Z"'],
  risk: 'dangerous',
  positionals: ['snapshot'],
  args: z.object({ snapshot: z.string().min(1).optional(), toTime: z.string().min(1).optional() }),
  jobs: [restoreJob, pitrRestoreJob],
  async plan(ctx, { snapshot, toTime }): Promise<Plan<RestoreJobData | PitrJobData>> {
    if (toTime && snapshot)
      throw new UserError(
        'Restore either a snapshot or a point in time, not both.',
        `\`/ops restore ${ctx.envName} <snapshot>\` or \`/ops restore ${ctx.envName} --to-time "<ISO time>"\`.`,
      );
    if (toTime) return planPointInTime(ctx, toTime);
    if (!snapshot)
      throw new UserError(
        'Name the snapshot to restore, or a point in time with `--to-time`.',
        `\`/ops restore ${ctx.envName} <snapshot>\` (see them with \`/ops backup list ${ctx.envName}\`) or \`/ops restore ${ctx.envName} --to-time "2026-11-23T09:12:00Z"\`.`,
      );
    const p = await plan(ctx, snapshot);
    const createdAt = p.snap.createdAt?.toISOString();
    return {
      command: 'restore',
      env: ctx.envName,
      args: { snapshot },
      summary: `Restore snapshot \`${p.snap.id}\` to a new instance \`${p.newId}\``,
      effects: [restoreEffect(p.snap.id, p.age, p.newId, p.live, p.like?.instanceClass)],
      targets: [
        { kind: 'rds-snapshot', id: p.snap.id, detail: createdAt ? `taken ${createdAt}` : undefined },
        { kind: 'rds-instance', id: p.newId, detail: 'new' },
        { kind: 'rds-instance', id: p.live, detail: 'live, untouched; network settings copied' },
      ],
      preconditions: [
        { what: `snapshot ${p.snap.id} is`, expected: 'available' },
        ...(createdAt ? [{ what: `snapshot ${p.snap.id} taken at`, expected: createdAt }] : []),
        { what: `instance ${p.newId} exists`, expected: false },
      ],
      data: { env: ctx.envName, live: p.live, snapshot: p.snap.id, newId: p.newId, snapshotCreatedAt: createdAt },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(_ctx, { data }) {
    if (isPitrData(data)) return pitrExecute(data);
    return { job: { name: restoreJob.name, data: { ...data }, title: restoreJobTitle(data.env, data.snapshot) } };
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const restore = withSelfHostedRestore(restoreAws);
