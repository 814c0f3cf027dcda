import { actionJob } from '../../src/aws/action-job.js';
import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { requireUnchanged } from '../../src/errors.js';
import { ACTION_HARD_LIMITS } from '../../src/config/schema.js';
import { requireRds } from '../../src/aws/action-target.js';
import { backupSnapshotName, createSnapshot, followSnapshot, getInstance } from '../../src/aws/snapshots.js';
import { renderSnapshotDone, snapshotJobTitle } from '../../views/backups.js';
import { withSelfHostedBackup } from '../self-hosted/backup.js';

/** Plan and job data: the instance and the snapshot name fixed at request time. */
export interface BackupJobData {
  env: string;
  instance: string;
  snapshotId: string;
}

export const backupJob = definePlannedJob<BackupJobData>({
  name: 'actions.backup',
  timeoutMs: ACTION_HARD_LIMITS.snapshot,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    if (data.approvalId)
      requireUnchanged(
        (await getInstance(step(), data.instance)) !== undefined,
        `RDS instance \`${data.instance}\` no longer exists, so no snapshot was taken.`,
        'Check rds.instance in ops.yml, then ask again with `/ops backup`.',
      );
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
  // Planned, so when an access rule gates it the approval takes the snapshot named on the card.
  async plan(ctx) {
    const instance = requireRds(ctx.envName, ctx.env);
    // Named now, so the message (and a card) says which snapshot before the job starts.
    const snapshotId = backupSnapshotName(ctx.envName, ctx.services.clock());
    return {
      command: 'backup',
      env: ctx.envName,
      args: {},
      summary: `Snapshot RDS \`${instance}\` as \`${snapshotId}\``,
      effects: [`RDS: CreateDBSnapshot \`${snapshotId}\` of \`${instance}\` (the instance keeps serving)`],
      targets: [
        { kind: 'rds-instance', id: instance },
        { kind: 'rds-snapshot', id: snapshotId, detail: 'new' },
      ],
      preconditions: [{ what: `instance ${instance} exists`, expected: true }],
      data: { env: ctx.envName, instance, snapshotId },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(_ctx, { data }) {
    return { job: { name: backupJob.name, data: { ...data }, title: snapshotJobTitle(data.env, data.snapshotId) } };
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const backup = withSelfHostedBackup(backupAws);
