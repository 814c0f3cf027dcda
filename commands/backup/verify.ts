import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { defineJob } from '../../src/core/job.js';
import { UserError } from '../../src/errors.js';
import { ACTION_HARD_LIMITS } from '../../src/config/schema.js';
import { configuredEnv, requireRds } from '../../src/aws/action-target.js';
import { verifyBackup } from '../../src/backup/verify.js';
import { renderVerificationDone, verificationFailure, verifyJobTitle } from '../../views/backups.js';
import { withSelfHostedBackupVerify } from '../self-hosted/backup.js';

interface VerifyJobData {
  env: string;
  requestedBy: string;
}

export const backupVerifyJob = defineJob<VerifyJobData>({
  name: 'actions.backup-verify',
  // Its steps are also streamed as a log in the thread of its message (chat.startStream).
  streamLog: true,
  // A snapshot restore, the counts and the clean-up: the restore limit plus room for the rest.
  timeoutMs: ACTION_HARD_LIMITS.restore + 60 * 60_000,
  async run(ctx, data) {
    const env = configuredEnv(ctx.config.environments, data.env);
    const result = await verifyBackup({
      envName: data.env,
      env,
      services: ctx.services,
      signal: ctx.signal,
      progress: ctx.progress,
      jobId: ctx.jobId,
      requestedBy: data.requestedBy,
    });
    if (!result.ok) {
      const { message, hint } = verificationFailure(result);
      throw new UserError(message, hint);
    }
    return renderVerificationDone(result);
  },
});

const backupVerifyAws = defineCommand({
  name: 'backup verify',
  summary:
    'Prove a backup restores: restore it (pg_dump file or latest snapshot) to scratch, compare row counts, clean up',
  usage: '[env]',
  examples: ['backup verify prod'],
  risk: 'write',
  args: z.object({}),
  jobs: [backupVerifyJob],
  async run(ctx) {
    const verify = ctx.env.backup?.verify;
    if (verify?.dumpPath) {
      if (!verify.scratchUrl)
        throw new UserError(
          'A logical backup needs a scratch server to restore into.',
          `Set backup.verify.scratchUrl under environments.${ctx.envName} in ops.yml.`,
        );
    } else {
      requireRds(ctx.envName, ctx.env);
    }
    const data: VerifyJobData = { env: ctx.envName, requestedBy: ctx.actor.id };
    return {
      job: {
        name: backupVerifyJob.name,
        data: { ...data },
        title: verifyJobTitle(ctx.envName, verify?.dumpPath ? 'logical' : 'snapshot'),
      },
    };
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const backupVerify = withSelfHostedBackupVerify(backupVerifyAws);
