import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';
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

async function psqlRestore(
  path: string,
  format: 'sql' | 'sql.gz',
  databaseUrl: string,
  signal: AbortSignal,
): Promise<void> {
  const { url, env } = clientConnection(databaseUrl, 'opsbot-restore');
  const stderr: string[] = [];
  const child = spawn('psql', ['-X', '-q', '--no-password', '-v', 'ON_ERROR_STOP=1', '--dbname', url], {
    env,
    signal,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.length < 50 && stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  exited.catch(() => undefined);
  try {
    const source = createReadStream(path);
    await (format === 'sql.gz' ? pipeline(source, createGunzip(), child.stdin) : pipeline(source, child.stdin));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    child.kill('SIGTERM');
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'Z_STREAM_ERROR')
      throw new UserError(
        `${path} is not a valid gzip file (${code}): it is truncated or corrupt.`,
        'Verify an older backup, or take a new one.',
      );
    if (code === 'EPIPE') {
      // psql stopped reading: it exited on an SQL error, reported below.
    } else if (code === 'ENOENT' && (err as { path?: string }).path === 'psql') {
      throw psqlMissing();
    } else if (
      !(await exited.then(
        () => false,
        () => true,
      ))
    ) {
      throw err;
    }
  }
  let code: number | null;
  try {
    code = await exited;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw psqlMissing();
    throw signal.aborted ? signal.reason : err;
  }
  if (code !== 0)
    throw new UserError(
      `psql failed (exit ${code}) restoring \`${path}\`: the dump does not restore cleanly.`,
      stderrHint(stderr) ?? 'It printed nothing; check the dump file.',
    );
}

function psqlMissing(): UserError {
  return new UserError(
    "`psql` is not installed where opsbot's worker runs.",
    'Install the PostgreSQL client tools of the server’s major version or newer.',
  );
}
