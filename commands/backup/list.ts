import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { requireRds } from '../../src/aws/action-target.js';
import { listSnapshots } from '../../src/aws/snapshots.js';
import { renderSnapshotList } from '../../views/backups.js';
import { backupFreshness } from '../../src/config/backup-schedule.js';
import { withSelfHostedBackupList } from '../self-hosted/backup.js';
import { listRegionCopies } from './list-region.js';

const backupListAws = defineCommand({
  name: 'backup list',
  summary:
    "The RDS instance's snapshots with age, size and type, and the last verified backup; with --region, its copies there",
  usage: '[env] [--region <region>]',
  examples: ['backup list', 'backup list staging', 'backup list prod --region us-west-2'],
  risk: 'read',
  args: z.object({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-west-2')
      .optional(),
  }),
  async run(ctx, { region }) {
    const instance = requireRds(ctx.envName, ctx.env);
    if (region) return listRegionCopies(ctx, instance, region);
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
