import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { requireRds } from '../../src/aws/action-target.js';
import { listSnapshots } from '../../src/aws/snapshots.js';
import { renderSnapshotList } from '../../views/backups.js';
import { backupFreshness } from '../../src/config/backup-schedule.js';
import { withSelfHostedBackupList } from '../self-hosted/backup.js';

const backupListAws = defineCommand({
  name: 'backup list',
  summary: "The RDS instance's snapshots with age, size and type, and the last verified backup",
  usage: '[env]',
  examples: ['backup list', 'backup list staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const instance = requireRds(ctx.envName, ctx.env);
    const s = ctx.aws();
    const [snapshots, lastVerified, lastAttempt] = await Promise.all([
      listSnapshots(s, instance),
      ctx.services.backupVerifications.latest(ctx.envName, { okOnly: true }),
      ctx.services.backupVerifications.latest(ctx.envName),
    ]);
    return renderSnapshotList({
      env: ctx.envName,
      instance,
      snapshots,
      now: ctx.services.clock(),
      freshness: backupFreshness(ctx.env.backup, ctx.config.timezone),
      lastVerified,
      lastAttempt,
    });
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const backupList = withSelfHostedBackupList(backupListAws);
