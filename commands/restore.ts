import { actionJob } from '../src/aws/action-job.js';
import { z } from 'zod';
import { formatDistanceStrict } from 'date-fns';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { defineJob } from '../src/core/job.js';
import { UserError } from '../src/errors.js';
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

interface RestoreJobData {
  env: string;
  live: string;
  snapshot: string;
  newId: string;
}

export const restoreJob = defineJob<RestoreJobData>({
  name: 'actions.restore',
  timeoutMs: ACTION_HARD_LIMITS.restore,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
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
  summary: 'Restore an RDS snapshot to a NEW instance (never over the live one) and say how to point the app at it',
  usage: '[env] <snapshot>',
  examples: ['restore prod opsbot-prod-20261123-0912'],
  risk: 'dangerous',
  positionals: ['snapshot'],
  args: z.object({ snapshot: z.string().min(1) }),
  jobs: [restoreJob],
  async describeEffect(ctx, { snapshot }) {
    const p = await plan(ctx, snapshot);
    return restoreEffect(p.snap.id, p.age, p.newId, p.live, p.like?.instanceClass);
  },
  async run(ctx, { snapshot }) {
    const p = await plan(ctx, snapshot);
    const data: RestoreJobData = { env: ctx.envName, live: p.live, snapshot: p.snap.id, newId: p.newId };
    return { job: { name: restoreJob.name, data: { ...data }, title: restoreJobTitle(ctx.envName, p.snap.id) } };
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const restore = withSelfHostedRestore(restoreAws);
