import type { AnyArgsSchema, Plan, PlannedCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../../src/errors.js';
import { configuredEnv } from '../../src/aws/action-target.js';
import { listBackups } from '../../src/backup/backup-files.js';
import { checkPgTools, serverMajor } from '../../src/backup/pg-tools.js';
import { restoreToNewDatabase } from '../../src/backup/restore-new.js';
import { fileRestoreEffect, fileRestoreTitle, renderFileRestoreDone } from '../../views/backup-files.js';
import { fileBackups } from './backup.js';

/** The plan's data and the job's: the file as it was (size and mtime) and the new database's name, fixed at request time. */
export interface FileRestoreData {
  fromFile: true;
  env: string;
  file: string;
  bytes: number;
  /** ISO mtime of the file when the restore was asked for. */
  modifiedAt: string;
  database: string;
}

function isFileRestore(data: unknown): data is FileRestoreData {
  return (data as { fromFile?: unknown }).fromFile === true;
}

/**
 * What /ops restore of a pg_dump folder would do: the named file must be one
 * of this environment's backups in the folder (a name, never a path), and the
 * new database is named now so the approval card and the job agree.
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

async function planRestoreOfFile(ctx: CommandContext, name: string): Promise<Plan<FileRestoreData>> {
  const p = await planFileRestore(ctx, name);
  const modifiedAt = p.file.modifiedAt.toISOString();
  return {
    command: 'restore',
    env: ctx.envName,
    args: { snapshot: name },
    summary: `Restore \`${p.file.file}\` into a new database \`${p.database}\``,
    effects: [fileRestoreEffect(p.file, p.database, p.live)],
    targets: [
      { kind: 'backup-file', id: p.file.file, detail: `${p.file.bytes} bytes, modified ${modifiedAt}` },
      { kind: 'pg-database', id: p.database, detail: 'new' },
      { kind: 'pg-database', id: p.live, detail: 'live, untouched' },
    ],
    preconditions: [
      { what: `${p.file.file} is this many bytes`, expected: p.file.bytes },
      { what: `${p.file.file} last modified`, expected: modifiedAt },
    ],
    data: {
      fromFile: true,
      env: ctx.envName,
      file: p.file.file,
      bytes: p.file.bytes,
      modifiedAt,
      database: p.database,
    },
    plannedAt: ctx.services.clock().toISOString(),
  };
}

export const fileRestoreJob = definePlannedJob<FileRestoreData>({
  name: 'selfhosted.restore',
  // Its steps are also streamed as a log in the thread of its message (chat.startStream).
  streamLog: true,
  timeoutMs: 6 * 60 * 60_000,
  async run(ctx, data) {
    const env = configuredEnv(ctx.config.environments, data.env);
    const { url, backup } = fileBackups(data.env, env);
    const file = (await listBackups(backup.dir, data.env)).find((f) => f.file === data.file);
    const again = `Ask again with \`/ops restore ${data.env} <file>\`; see them with \`/ops backup list ${data.env}\`.`;
    requireUnchanged(
      file !== undefined,
      `\`${data.file}\` is no longer in ${backup.dir}, so nothing was restored.`,
      again,
    );
    // Same name but another file (re-written, truncated, replaced) is not what was approved.
    requireUnchanged(
      file!.bytes === data.bytes && file!.modifiedAt.toISOString() === data.modifiedAt,
      `\`${data.file}\` changed since the restore was approved (then ${data.bytes} bytes, modified ${data.modifiedAt}; now ${file!.bytes} bytes, modified ${file!.modifiedAt.toISOString()}); nothing was restored.`,
      again,
    );
    await ctx.progress(3, 'checking pg_restore and psql against the server version');
    await checkPgTools(file!.format === 'custom' ? ['pg_restore'] : ['psql'], await serverMajor(url));
    await ctx.progress(10, `restoring ${file!.file} into the new database ${data.database}`);
    const result = await restoreToNewDatabase({
      liveUrl: url,
      dumpPath: file!.path,
      database: data.database,
      signal: ctx.signal,
    });
    return renderFileRestoreDone(data.env, file!.file, result);
  },
});

/** /ops restore of an RDS snapshot as before, or of a pg_dump file into a new database when database.backup is set. */
export function withSelfHostedRestore<S extends AnyArgsSchema, D>(
  aws: PlannedCommand<S, D>,
): PlannedCommand<S, D | FileRestoreData> {
  return {
    ...aws,
    summary: `${aws.summary}; or a pg_dump file of database.backup.dir into a NEW database`,
    usage: '[env] <snapshot | backup file> | --to-time "<ISO time>"',
    examples: [...(aws.examples ?? []), 'restore esn esn-20261123-0200.sql.gz'],
    jobs: [...(aws.jobs ?? []), fileRestoreJob],
    async plan(ctx, args) {
      if (!ctx.env.database?.backup) return aws.plan(ctx, args);
      if (args.toTime || !args.snapshot)
        throw new UserError(
          `${ctx.envName} restores pg_dump files: name one (point-in-time restore is for RDS).`,
          `See them with \`/ops backup list ${ctx.envName}\`, then \`/ops restore ${ctx.envName} <file>\`.`,
        );
      return planRestoreOfFile(ctx, String(args.snapshot));
    },
    needsApproval: aws.needsApproval
      ? (plan) => !isFileRestore(plan.data) && aws.needsApproval!(plan as Plan<D>)
      : undefined,
    async execute(ctx, plan) {
      const { data } = plan;
      if (!isFileRestore(data)) return aws.execute(ctx, plan as Plan<D>);
      return {
        job: { name: fileRestoreJob.name, data: { ...data }, title: fileRestoreTitle(data.env, data.file) },
      };
    },
  };
}
