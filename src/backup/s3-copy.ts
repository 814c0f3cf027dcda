import type { AwsAccess } from '../aws/clients.js';
import type { EnvironmentConfig } from '../config/schema.js';
import type { DatabaseBackupConfig } from '../config/self-hosted.js';
import { UserError, isUserError } from '../errors.js';
import { redactSecrets } from '../redact.js';
import type { AwsSession } from '../aws/session.js';
import { deleteObject, listObjects, s3Url, uploadFile, type S3Location } from '../aws/s3-objects.js';
import { backupFormatOf } from './backup-files.js';
import type { BackupFormat } from '../config/self-hosted.js';
import type { DumpResult } from './dump.js';

/** One backup in S3, as `/ops backup list` shows it. */
export interface S3Backup {
  file: string;
  key: string;
  format: BackupFormat;
  bytes: number;
  modifiedAt: Date;
  ageMs: number;
}

export interface S3CopyResult {
  url: string;
  durationMs: number;
  /** What S3 retention deleted (older than keep, and older than this copy). */
  deleted: S3Backup[];
  /** Retention could not finish (the copy itself succeeded). */
  retentionProblem?: string;
}

/** Deleting old copies: a few calls, each bounded; the whole gets this long. */
const RETENTION_DEADLINE_MS = 60_000;

function said(err: unknown): string {
  if (isUserError(err)) return err.message;
  return redactSecrets((err as Error).message ?? String(err));
}

/** This environment's backups under the location (`<env>-<yyyyMMdd-HHmm>.<ext>`), newest first. */
export async function listS3Backups(
  session: AwsSession,
  location: S3Location,
  envName: string,
  now = new Date(),
): Promise<S3Backup[]> {
  const objects = await listObjects(session, location, `${envName}-`);
  const backups: S3Backup[] = [];
  for (const o of objects) {
    const format = backupFormatOf(envName, o.name);
    if (!format) continue;
    backups.push({
      file: o.name,
      key: o.key,
      format,
      bytes: o.bytes,
      modifiedAt: o.modifiedAt,
      ageMs: Math.max(0, now.getTime() - o.modifiedAt.getTime()),
    });
  }
  return backups;
}

/**
 * Copies a finished dump to `backup.s3` (guide 003: `aws s3 cp backup_*.sql.gz
 * s3://invoice-backups/…`), then deletes copies older than `keep` — only
 * copies older than the one just uploaded, and only after it succeeded. A
 * failed upload throws (the local file stays; nothing is deleted anywhere).
 */
export async function copyBackupToS3(req: {
  aws: AwsAccess;
  env: EnvironmentConfig;
  envName: string;
  backup: DatabaseBackupConfig & { s3: NonNullable<DatabaseBackupConfig['s3']> };
  dump: DumpResult;
  signal?: AbortSignal;
  now?: () => Date;
}): Promise<S3CopyResult> {
  const { s3 } = req.backup;
  const now = req.now ?? (() => new Date());
  const started = Date.now();
  const url = s3Url(s3, req.dump.file);
  try {
    await uploadFile(
      req.aws.session(req.env, { deadlineMs: s3.timeout }),
      s3,
      req.dump.path,
      req.dump.file,
      req.dump.bytes,
      req.signal,
    );
  } catch (err) {
    if (req.signal?.aborted) throw err;
    throw new UserError(
      `The backup ${req.dump.file} was written to ${req.dump.path}, but its copy to ${url} failed: ${said(err)}`,
      'No backups were deleted (locally or in S3). Fix the cause and run `/ops backup` again; docs/aws-permissions.md lists what opsbot’s role needs.',
    );
  }
  const durationMs = Date.now() - started;
  const retention = req.aws.session(req.env, { deadlineMs: RETENTION_DEADLINE_MS });
  const deleted: S3Backup[] = [];
  try {
    const copies = await listS3Backups(retention, s3, req.envName, now());
    const uploaded = copies.find((c) => c.file === req.dump.file);
    if (!uploaded)
      return { url, durationMs, deleted, retentionProblem: `${url} is not listed yet, so no old copies were deleted` };
    const doomed = copies.filter(
      (c) => c !== uploaded && c.ageMs > req.backup.keep && c.modifiedAt.getTime() < uploaded.modifiedAt.getTime(),
    );
    for (const copy of doomed) {
      await deleteObject(retention, s3, copy.key);
      deleted.push(copy);
    }
    return { url, durationMs, deleted };
  } catch (err) {
    return { url, durationMs, deleted, retentionProblem: said(err) };
  }
}
