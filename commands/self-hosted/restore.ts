import type { CommandDefinition } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { defineJob } from '../../src/core/job.js';
import { UserError } from '../../src/errors.js';
import { configuredEnv } from '../../src/aws/action-target.js';
import { listBackups, type BackupFile } from '../../src/backup/backup-files.js';
import { checkPgTools, serverMajor } from '../../src/backup/pg-tools.js';
import { restoreToNewDatabase } from '../../src/backup/restore-new.js';
import { fileRestoreEffect, fileRestoreTitle, renderFileRestoreDone } from '../../views/backup-files.js';
import { fileBackups } from './backup.js';

interface FileRestoreData {
  env: string;
  file: string;
  database: string;
}

/**
 * What /ops restore of a pg_dump folder would do (describeEffect and run both
 * call it): the named file must be one of this environment's backups in the
 * folder (a name, never a path), and the new database is named now so the
 * approval card and the job agree.
 */
export async function planFileRestore(ctx: CommandContext, name: string) {
  const { url, backup } = fileBackups(ctx.envName, ctx.env);
  const files = await listBackups(backup.dir, ctx.envName, ctx.services.clock());
  const file = files.find((f) => f.file === name);
  if (!file)
    throw new UserError(
      `\`${name}\` is not a backup of ${ctx.envName} in ${backup.dir}.`,
      files.length
        ? `The newest is \`${files[0].file}\`; see them all with \`/ops backup list ${ctx.envName}\`.`
        : `There are none yet: take one with \`/ops backup ${ctx.envName}\`.`,
    );
  const live = decodeURIComponent(new URL(url).pathname.slice(1));
  const stamp = ctx.services.clock().toISOString().replace(/\D/g, '').slice(0, 12);
  return { file, live, database: `${live}_restored_${stamp}`.slice(0, 63) };
}

export const fileRestoreJob = defineJob<FileRestoreData>({
  name: 'selfhosted.restore',
  timeoutMs: 6 * 60 * 60_000,
  async run(ctx, data) {
    const env = configuredEnv(ctx.config.environments, data.env);
    const { url, backup } = fileBackups(data.env, env);
    const file: BackupFile | undefined = (await listBackups(backup.dir, data.env)).find((f) => f.file === data.file);
    if (!file) throw new UserError(`\`${data.file}\` is no longer in ${backup.dir}, so nothing was restored.`);
    await ctx.progress(3, 'checking pg_restore and psql against the server version');
    await checkPgTools(file.format === 'custom' ? ['pg_restore'] : ['psql'], await serverMajor(url));
    await ctx.progress(10, `restoring ${file.file} into the new database ${data.database}`);
    const result = await restoreToNewDatabase({
      liveUrl: url,
      dumpPath: file.path,
      database: data.database,
      signal: ctx.signal,
    });
    return renderFileRestoreDone(data.env, file.file, result);
  },
});

/** /ops restore of an RDS snapshot as before, or of a pg_dump file into a new database when database.backup is set. */
export function withSelfHostedRestore(aws: CommandDefinition): CommandDefinition {
  const fileOf = (args: Record<string, unknown>) => String(args.snapshot);
  return {
    ...aws,
    summary: `${aws.summary}; or a pg_dump file of database.backup.dir into a NEW database`,
    usage: '[env] <snapshot | backup file>',
    examples: [...(aws.examples ?? []), 'restore esn esn-20261123-0200.sql.gz'],
    jobs: [...(aws.jobs ?? []), fileRestoreJob],
    async describeEffect(ctx, args) {
      if (!ctx.env.database?.backup) return aws.describeEffect!(ctx, args);
      const p = await planFileRestore(ctx, fileOf(args));
      return fileRestoreEffect(p.file, p.database, p.live);
    },
    async run(ctx, args) {
      if (!ctx.env.database?.backup) return aws.run(ctx, args);
      const p = await planFileRestore(ctx, fileOf(args));
      const data: FileRestoreData = { env: ctx.envName, file: p.file.file, database: p.database };
      return {
        job: { name: fileRestoreJob.name, data: { ...data }, title: fileRestoreTitle(ctx.envName, p.file.file) },
      };
    },
  };
}
