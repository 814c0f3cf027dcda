import { actionJob } from '../../src/aws/action-job.js';
import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { defineJob } from '../../src/core/job.js';
import { ACTION_HARD_LIMITS } from '../../src/config/schema.js';
import { requireRds } from '../../src/aws/action-target.js';
import { backupSnapshotName, createSnapshot, followSnapshot } from '../../src/aws/snapshots.js';
import { renderSnapshotDone, snapshotJobTitle } from '../../views/backups.js';
import { withSelfHostedBackup } from '../self-hosted/backup.js';

interface BackupJobData {
  env: string;
  instance: string;
  snapshotId: string;
}

export const backupJob = defineJob<BackupJobData>({
  name: 'actions.backup',
  timeoutMs: ACTION_HARD_LIMITS.snapshot,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    await ctx.progress(2, `CreateDBSnapshot ${data.snapshotId}`);
    await createSnapshot(step(), data.instance, data.snapshotId);
    const snap = await followSnapshot(clients, following(timing.snapshotTimeoutMs), data.snapshotId);
    return renderSnapshotDone(data.env, snap);
  },
});

const backupAws = defineCommand({
  name: 'backup',
  summary: 'Take a manual RDS snapshot (opsbot-<env>-<yyyyMMdd-HHmm>) and follow it until it is available',
  usage: '[env]',
  examples: ['backup prod'],
  risk: 'write',
  args: z.object({}),
  jobs: [backupJob],
  async run(ctx) {
    const instance = requireRds(ctx.envName, ctx.env);
    // Named now, so the message says which snapshot before the job starts.
    const snapshotId = backupSnapshotName(ctx.envName, ctx.services.clock());
    const data: BackupJobData = { env: ctx.envName, instance, snapshotId };
    return { job: { name: backupJob.name, data: { ...data }, title: snapshotJobTitle(ctx.envName, snapshotId) } };
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const backup = withSelfHostedBackup(backupAws);
