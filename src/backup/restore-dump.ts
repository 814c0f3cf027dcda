import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UserError, abortReason } from '../errors.js';
import type { BackupFormat } from '../config/self-hosted.js';
import { pgRestore } from './logical.js';
import { clientConnection, stderrHint } from './pg-tools.js';

/** By content, not name: custom dumps start with "PGDMP", gzip files with 1f 8b; anything else is taken as plain SQL. */
export async function detectDumpFormat(path: string): Promise<BackupFormat> {
  const handle = await open(path, 'r').catch((err) => {
    throw new UserError(
      `The dump ${path} cannot be opened: ${(err as NodeJS.ErrnoException).code}.`,
      'Check the file name with `/ops backup list`.',
    );
  });
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    if (bytesRead === 0) throw new UserError(`The dump ${path} is empty.`, 'Take a new backup with `/ops backup`.');
    if (buffer.subarray(0, 5).toString('latin1') === 'PGDMP') return 'custom';
    if (buffer[0] === 0x1f && buffer[1] === 0x8b) return 'sql.gz';
    return 'sql';
  } finally {
    await handle.close();
  }
}

/**
 * Restores a dump of any of the three formats into an existing (empty)
 * database: custom with pg_restore, plain with psql, gzip streamed through
 * gunzip into psql. Any SQL error stops and fails it (ON_ERROR_STOP): a dump
 * that restores with errors is not proven.
 */
export async function restoreDump(path: string, databaseUrl: string, signal: AbortSignal): Promise<BackupFormat> {
  const format = await detectDumpFormat(path);
  if (format === 'custom') await pgRestore(path, databaseUrl, signal);
  else await psqlRestore(path, format, databaseUrl, signal);
  return format;
}

/**
 * Session settings of the restoring connection: index builds (primary keys,
 * after the data) get 256 MB instead of the 64 MB default, and the one commit
 * does not wait for the disk (a restore that fails is dropped anyway).
 */
export const RESTORE_PGOPTIONS = '-c maintenance_work_mem=256MB -c synchronous_commit=off';

type Child = ReturnType<typeof spawn>;

function exitOf(child: Child): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig }));
  });
}

function collect(child: Child, into: string[]): void {
  child.stderr?.on('data', (chunk: Buffer) => into.length < 50 && into.push(chunk.toString()));
}

/**
 * psql in one transaction with ON_ERROR_STOP, so any SQL error fails the whole
 * restore. Plain files are read by psql itself (`--file`); gzip files are
 * decompressed by a `gzip -dc` process whose stdout is psql's stdin — an OS
 * pipe between the two, no bytes through this process (as `gunzip | psql`).
 * Without a gzip binary it falls back to zlib in-process.
 */
async function psqlRestore(
  path: string,
  format: 'sql' | 'sql.gz',
  databaseUrl: string,
  signal: AbortSignal,
): Promise<void> {
  const { url, env } = clientConnection(databaseUrl, 'opsbot-restore');
  env.PGOPTIONS = [process.env.PGOPTIONS, RESTORE_PGOPTIONS].filter(Boolean).join(' ');
  const args = ['--no-psqlrc', '--quiet', '--no-password', '--single-transaction', '--set', 'ON_ERROR_STOP=1'];
  const stderr: string[] = [];
  const psqlFailed = (code: number | null) =>
    new UserError(
      `psql failed (exit ${code}) restoring \`${path}\`: the dump does not restore cleanly.`,
      stderrHint(stderr) ?? 'It printed nothing; check the dump file.',
    );
  const psql = (input: 'ignore' | 'pipe' | Readable, extra: string[] = []) => {
    const child = spawn('psql', [...args, ...extra, '--dbname', url], {
      env,
      signal,
      stdio: [input, 'ignore', 'pipe'],
    });
    collect(child, stderr);
    const exited = exitOf(child).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw psqlMissing();
      throw signal.aborted ? abortReason(signal) : err;
    });
    exited.catch(() => undefined);
    return { child, exited };
  };

  if (format === 'sql') {
    const { code } = await psql('ignore', ['--file', path]).exited;
    if (code !== 0) throw psqlFailed(code);
    return;
  }
  const gzipErr: string[] = [];
  const gzip = spawn('gzip', ['--decompress', '--stdout', path], { signal, stdio: ['ignore', 'pipe', 'pipe'] });
  collect(gzip, gzipErr);
  const gzipExit = exitOf(gzip);
  gzipExit.catch(() => undefined);
  const spawned = await new Promise<boolean>((resolve, reject) => {
    gzip.once('spawn', () => resolve(true));
    gzip.once('error', (err) => ((err as NodeJS.ErrnoException).code === 'ENOENT' ? resolve(false) : reject(err)));
  });
  if (!spawned) return inProcessGunzip(path, psql, psqlFailed, signal);
  const restore = psql(gzip.stdout!);
  // psql holds the pipe now; this process's copy would keep gzip writing after psql stopped reading.
  gzip.stdout!.destroy();
  const [unzipped, restored] = await Promise.allSettled([gzipExit, restore.exited]);
  if (unzipped.status === 'fulfilled' && unzipped.value.code !== 0 && unzipped.value.signal !== 'SIGPIPE')
    throw notGzip(path, stderrHint(gzipErr) ?? `gzip exit ${unzipped.value.code}`);
  if (restored.status === 'rejected') throw restored.reason;
  if (restored.value.code !== 0) throw psqlFailed(restored.value.code);
  if (unzipped.status === 'rejected') throw signal.aborted ? abortReason(signal) : unzipped.reason;
}

async function inProcessGunzip(
  path: string,
  psql: (input: 'pipe') => { child: Child; exited: Promise<{ code: number | null }> },
  psqlFailed: (code: number | null) => UserError,
  signal: AbortSignal,
): Promise<void> {
  const { child, exited } = psql('pipe');
  try {
    await pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), createGunzip(), child.stdin!);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_')) {
      child.kill('SIGKILL');
      throw notGzip(path, code);
    }
    // EPIPE: psql stopped reading; it exited on an SQL error, reported below.
    if (code !== 'EPIPE' && !signal.aborted) {
      child.kill('SIGTERM');
      throw err;
    }
  }
  const { code } = await exited;
  if (code !== 0) throw psqlFailed(code);
}

function notGzip(path: string, why: string): UserError {
  return new UserError(
    `${path} is not a valid gzip file: it is truncated or corrupt.`,
    `${why}\nVerify an older backup, or take a new one.`,
  );
}

function psqlMissing(): UserError {
  return new UserError(
    "`psql` is not installed where opsbot's worker runs.",
    'Install the PostgreSQL client tools of the server’s major version or newer.',
  );
}
