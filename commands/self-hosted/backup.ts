import type { AnyArgsSchema, DirectCommand, Plan, PlannedCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import type { EnvironmentConfig } from '../../src/config/schema.js';
import type { DatabaseBackupConfig } from '../../src/config/self-hosted.js';
import { UserError } from '../../src/errors.js';
import { configuredEnv } from '../../src/aws/action-target.js';
import { checkPgTools, serverMajor } from '../../src/backup/pg-tools.js';
import { runDump } from '../../src/backup/dump.js';
import { applyRetention } from '../../src/backup/retention.js';
import { judgeFreshness, listBackups } from '../../src/backup/backup-files.js';
import { DUMP_JOB, type DumpJobData } from '../../src/backup/schedule.js';
import { copyBackupToS3, listS3Backups, type S3CopyResult } from '../../src/backup/s3-copy.js';
import { s3Url } from '../../src/aws/s3-objects.js';
import { settlePart } from './parts.js';
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
export const dumpJob = definePlannedJob<DumpJobData>({
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
    let s3: S3CopyResult | undefined;
    if (backup.s3) {
      await ctx.progress(70, `written ${dump.file}; copying it to ${s3Url(backup.s3, dump.file)}`);
      // A failed copy throws before any retention: nothing is deleted locally or in S3.
      s3 = await copyBackupToS3({
        aws: ctx.services.aws,
        env,
        envName: data.env,
        backup: { ...backup, s3: backup.s3 },
        dump,
        signal: ctx.signal,
        now: () => ctx.services.clock(),
      });
    }
    await ctx.progress(90, `written ${dump.file}; applying retention`);
    const deleted = await applyRetention({
      dir: backup.dir,
      envName: data.env,
      keepMs: backup.keep,
      newest: dump.path,
    });
    ctx.log.info(
      {
        env: data.env,
        file: dump.file,
        bytes: dump.bytes,
        deleted: deleted.map((d) => d.file),
        s3: s3 && { url: s3.url, deleted: s3.deleted.map((d) => d.file), problem: s3.retentionProblem },
        by: data.requestedBy,
      },
      'backup written',
    );
    return renderDumpDone(data.env, dump, deleted, backup.keep, s3);
  },
});

/** Plan data of a pg_dump asked for in chat; also the dump job's data. */
interface FileBackupPlanData extends DumpJobData {
  pgDump: true;
  dir: string;
}

function isFileBackup(data: unknown): data is FileBackupPlanData {
  return (data as { pgDump?: unknown }).pgDump === true;
}

/** /ops backup: an RDS snapshot as before, or a pg_dump into the folder when database.backup is set. */
export function withSelfHostedBackup<S extends AnyArgsSchema, D>(
  aws: PlannedCommand<S, D>,
): PlannedCommand<S, D | FileBackupPlanData> {
  return {
    ...aws,
    summary: `${aws.summary}; or pg_dump into database.backup.dir, then retention`,
    jobs: [...(aws.jobs ?? []), dumpJob],
    async plan(ctx, args) {
      if (!ctx.env.database?.backup) return aws.plan(ctx, args);
      const { backup } = fileBackups(ctx.envName, ctx.env);
      return {
        command: aws.name,
        env: ctx.envName,
        args: {},
        summary: `pg_dump ${ctx.envName} into ${backup.dir}`,
        effects: [`pg_dump (${backup.format}) into ${backup.dir}, then backups older than the retention are deleted`],
        targets: [{ kind: 'backup-dir', id: backup.dir, detail: backup.format }],
        preconditions: [],
        data: { pgDump: true, env: ctx.envName, requestedBy: ctx.actor.id, dir: backup.dir },
        plannedAt: ctx.services.clock().toISOString(),
      };
    },
    needsApproval: aws.needsApproval
      ? (plan) => !isFileBackup(plan.data) && aws.needsApproval!(plan as Plan<D>)
      : undefined,
    async execute(ctx, plan) {
      const { data } = plan;
      if (!isFileBackup(data)) return aws.execute(ctx, plan as Plan<D>);
      const job: DumpJobData = { env: data.env, requestedBy: data.requestedBy };
      return { job: { name: dumpJob.name, data: { ...job }, title: dumpJobTitle(data.env, data.dir) } };
    },
  };
}

/** The folder's backups with age and size, red when the newest is older than the schedule allows. */
async function listFiles(ctx: CommandContext) {
  const { backup } = fileBackups(ctx.envName, ctx.env);
  const now = ctx.services.clock();
  const location = backup.s3;
  const [files, lastAttempt, copies] = await Promise.all([
    listBackups(backup.dir, ctx.envName, now),
    ctx.services.backupVerifications.latest(ctx.envName),
    location ? settlePart(listS3Backups(ctx.aws(), location, ctx.envName, now)) : undefined,
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
    s3:
      location && copies
        ? { url: s3Url(location), ...(copies.ok ? { copies: copies.value } : { error: copies.error }) }
        : undefined,
  });
}

export function withSelfHostedBackupList<S extends AnyArgsSchema>(aws: DirectCommand<S>): DirectCommand<S> {
  return {
    ...aws,
    summary: `${aws.summary}; or the pg_dump files of database.backup.dir`,
    run: (ctx, args) => (ctx.env.database?.backup ? listFiles(ctx) : aws.run(ctx, args)),
  };
}

/** /ops backup verify: the newest file of database.backup.dir goes through the same verification job (logical). */
export function withSelfHostedBackupVerify<S extends AnyArgsSchema>(aws: DirectCommand<S>): DirectCommand<S> {
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
