import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, constants, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { UserError } from '../errors.js';
import { formatDuration } from '../duration.js';
import type { BackupFormat } from '../config/self-hosted.js';
import { EXTENSIONS, backupBaseName, folderError } from './backup-files.js';
import { clientConnection, stderrHint } from './pg-tools.js';

export interface DumpRequest {
  envName: string;
  /** The live database (password is passed in PGPASSWORD, never argv). */
  url: string;
  dir: string;
  format: BackupFormat;
  timeoutMs: number;
  timeZone?: string;
  now?: Date;
  signal?: AbortSignal;
}

export interface DumpResult {
  file: string;
  path: string;
  format: BackupFormat;
  bytes: number;
  durationMs: number;
}

/**
 * pg_dump streamed into `<dir>/<env>-<yyyyMMdd-HHmm>.<ext>` (gzip in-process
 * for sql.gz), never held in memory. It writes a hidden temp file and renames
 * it only when pg_dump exited 0 and every byte reached the disk, so a failed
 * dump leaves nothing that looks like a backup and never replaces one.
 */
export async function runDump(req: DumpRequest): Promise<DumpResult> {
  const started = Date.now();
  try {
    await access(req.dir, constants.W_OK);
  } catch (err) {
    throw folderError(req.dir, err);
  }
  const file = await freeName(
    req.dir,
    backupBaseName(req.envName, req.now ?? new Date(), req.timeZone),
    EXTENSIONS[req.format],
  );
  const path = join(req.dir, file);
  const temp = join(req.dir, `.${file}.${randomBytes(3).toString('hex')}.partial`);
  const { url, env } = clientConnection(req.url, 'opsbot-backup');
  // Plain dumps leave out owners and grants so they restore on any server (pg_restore does the same for custom).
  const formatArgs =
    req.format === 'custom' ? ['--format=custom'] : ['--format=plain', '--no-owner', '--no-privileges'];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timeout')), req.timeoutMs);
  timer.unref();
  const onAbort = () => controller.abort(req.signal!.reason);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const stderr: string[] = [];
  let child: ReturnType<typeof spawn> | undefined;
  try {
    child = spawn('pg_dump', [...formatArgs, '--no-password', '--dbname', url], {
      env,
      signal: controller.signal,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.length < 50 && stderr.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve, reject) => {
      child!.on('error', reject);
      child!.on('close', resolve);
    });
    exited.catch(() => undefined);
    const out = createWriteStream(temp, { flags: 'wx' });
    const stages = req.format === 'sql.gz' ? [child.stdout, createGzip(), out] : [child.stdout, out];
    await (pipeline as (...s: unknown[]) => Promise<void>)(...stages, { signal: controller.signal });
    const code = await exited;
    if (code !== 0)
      throw new UserError(
        `pg_dump of ${req.envName} failed (exit ${code}); no backup was written and older ones were kept.`,
        stderrHint(stderr),
      );
    await rename(temp, path);
  } catch (err) {
    child?.kill('SIGTERM');
    await unlink(temp).catch(() => undefined);
    throw explain(err, req, controller.signal, stderr);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
  const { size } = await stat(path);
  return { file, path, format: req.format, bytes: size, durationMs: Date.now() - started };
}

async function freeName(dir: string, base: string, ext: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base}${ext}` : `${base}-${n}${ext}`;
    try {
      await stat(join(dir, name));
    } catch {
      return name;
    }
  }
}

function explain(err: unknown, req: DumpRequest, signal: AbortSignal, stderr: string[]): unknown {
  if (err instanceof UserError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new UserError(
      `The disk holding ${req.dir} is full: the pg_dump of ${req.envName} was stopped and its partial file removed; older backups were kept.`,
      'Free space there (or move database.backup.dir), then run `/ops backup` again.',
    );
  if (code === 'ENOENT' && (err as { path?: string }).path === 'pg_dump')
    return new UserError(
      "`pg_dump` is not installed where opsbot's worker runs.",
      'Install the PostgreSQL client tools of the server’s major version or newer.',
    );
  if (signal.aborted) {
    if (req.signal?.aborted) return req.signal.reason ?? err;
    return new UserError(
      `pg_dump of ${req.envName} did not finish within ${formatDuration(req.timeoutMs)}; it was stopped and its partial file removed.`,
      'Raise database.backup.timeout, or look for locks that block it (`/ops db locks`).',
    );
  }
  if (code === 'EACCES' || code === 'EPERM') return folderError(req.dir, err);
  return new UserError(
    `pg_dump of ${req.envName} failed: ${(err as Error).message}; no backup was written and older ones were kept.`,
    stderrHint(stderr),
  );
}
