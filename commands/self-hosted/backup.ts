import type { CommandDefinition } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { defineJob } from '../../src/core/job.js';
import type { EnvironmentConfig } from '../../src/config/schema.js';
import type { DatabaseBackupConfig } from '../../src/config/self-hosted.js';
import { UserError } from '../../src/errors.js';
import { configuredEnv } from '../../src/aws/action-target.js';
import { checkPgTools, serverMajor } from '../../src/backup/pg-tools.js';
import { runDump } from '../../src/backup/dump.js';
import { applyRetention } from '../../src/backup/retention.js';
import { judgeFreshness, listBackups } from '../../src/backup/backup-files.js';
import { DUMP_JOB, type DumpJobData } from '../../src/backup/schedule.js';
import { dumpJobTitle, renderBackupFiles, renderDumpDone } from '../../views/backup-files.js';
import { verifyJobTitle } from '../../views/backups.js';

/** The environment's pg_dump backups (database.backup), with the live database's URL they dump. */
export function fileBackups(envName: string, env: EnvironmentConfig): { url: string; backup: DatabaseBackupConfig } {
  const backup = env.database?.backup;
  if (!env.database || !backup)
    throw new UserError(
      `\`${envName}\` has no pg_dump backups configured.`,
      `Add \`database: { url: ..., backup: { dir: /var/backups/${envName} } }\` to it in ops.yml.`,
    );
  return { url: env.database.url, backup };
}

/** pg_dump (checked against the server's major version) → the folder → retention, only after the dump succeeded. */
export const dumpJob = defineJob<DumpJobData>({
  name: DUMP_JOB,
  // database.backup.timeout (default 2h) bounds pg_dump itself; this leaves room for the checks and retention.
  timeoutMs: 6 * 60 * 60_000,
  async run(ctx, data) {
    const env = configuredEnv(ctx.config.environments, data.env);
    const { url, backup } = fileBackups(data.env, env);
    await ctx.progress(2, 'checking pg_dump against the server version');
    await checkPgTools(['pg_dump'], await serverMajor(url));
    await ctx.progress(10, `pg_dump → ${backup.dir} (${backup.format})`);
    const dump = await runDump({
      envName: data.env,
      url,
      dir: backup.dir,
      format: backup.format,
      timeoutMs: backup.timeout,
      timeZone: ctx.config.timezone,
      signal: ctx.signal,
    });
    await ctx.progress(90, `written ${dump.file}; applying retention`);
    const deleted = await applyRetention({
      dir: backup.dir,
      envName: data.env,
      keepMs: backup.keep,
      newest: dump.path,
    });
    ctx.log.info(
      { env: data.env, file: dump.file, bytes: dump.bytes, deleted: deleted.map((d) => d.file), by: data.requestedBy },
      'backup written',
    );
    return renderDumpDone(data.env, dump, deleted, backup.keep);
  },
});

/** /ops backup: an RDS snapshot as before, or a pg_dump into the folder when database.backup is set. */
export function withSelfHostedBackup(aws: CommandDefinition): CommandDefinition {
  return {
    ...aws,
    summary: `${aws.summary}; or pg_dump into database.backup.dir, then retention`,
    jobs: [...(aws.jobs ?? []), dumpJob],
    async run(ctx, args) {
      if (!ctx.env.database?.backup) return aws.run(ctx, args);
      const { backup } = fileBackups(ctx.envName, ctx.env);
      const data: DumpJobData = { env: ctx.envName, requestedBy: ctx.actor.id };
      return { job: { name: dumpJob.name, data: { ...data }, title: dumpJobTitle(ctx.envName, backup.dir) } };
    },
  };
}

/** The folder's backups with age and size, red when the newest is older than the schedule allows. */
async function listFiles(ctx: CommandContext) {
  const { backup } = fileBackups(ctx.envName, ctx.env);
  const now = ctx.services.clock();
  const [files, lastAttempt] = await Promise.all([
    listBackups(backup.dir, ctx.envName, now),
    ctx.services.backupVerifications.latest(ctx.envName),
  ]);
  return renderBackupFiles({
    env: ctx.envName,
    dir: backup.dir,
    schedule: backup.schedule,
    timezone: ctx.config.timezone,
    files,
    freshness: judgeFreshness(files, backup.schedule, ctx.config.timezone, now),
    now,
    lastAttempt,
  });
}

export function withSelfHostedBackupList(aws: CommandDefinition): CommandDefinition {
  return {
    ...aws,
    summary: `${aws.summary}; or the pg_dump files of database.backup.dir`,
    run: (ctx, args) => (ctx.env.database?.backup ? listFiles(ctx) : aws.run(ctx, args)),
  };
}

/** /ops backup verify: the newest file of database.backup.dir goes through the same verification job (logical). */
export function withSelfHostedBackupVerify(aws: CommandDefinition): CommandDefinition {
  return {
    ...aws,
    async run(ctx, args) {
      if (!ctx.env.database?.backup || ctx.env.backup?.verify?.dumpPath) return aws.run(ctx, args);
      const job = aws.jobs?.[0];
      if (!job) throw new Error('backup verify has no job');
      // The job restores the newest file of the folder (src/backup/verify.ts), into backup.verify.scratchUrl or the live server.
      const [newest] = await listBackups(ctx.env.database.backup.dir, ctx.envName);
      if (!newest)
        throw new UserError(
          `${ctx.env.database.backup.dir} has no backups of ${ctx.envName} to verify yet.`,
          `Take one with \`/ops backup ${ctx.envName}\`.`,
        );
      return {
        job: {
          name: job.name,
          data: { env: ctx.envName, requestedBy: ctx.actor.id },
          title: verifyJobTitle(ctx.envName, 'logical'),
        },
      };
    },
  };
}
