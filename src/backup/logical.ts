import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { redactSecrets } from '../redact.js';
import { UserError, abortReason } from '../errors.js';

export interface DumpFile {
  path: string;
  modifiedAt: Date;
  bytes: number;
}

/** The configured dump, or the newest file in the configured folder. */
export async function findDump(path: string): Promise<DumpFile> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UserError(
      `The backup dump \`${path}\` does not exist on the machine opsbot's worker runs on.`,
      'Check backup.verify.dumpPath in ops.yml.',
    );
  }
  if (info.isFile()) return { path, modifiedAt: info.mtime, bytes: info.size };
  const files = await Promise.all(
    (await readdir(path)).map(async (name) => ({ name, info: await stat(join(path, name)) })),
  );
  const newest = files.filter((f) => f.info.isFile()).sort((a, b) => b.info.mtimeMs - a.info.mtimeMs)[0];
  if (!newest)
    throw new UserError(
      `The backup folder \`${path}\` has no files.`,
      'Check backup.verify.dumpPath in ops.yml, and that backups are being written there.',
    );
  return { path: join(path, newest.name), modifiedAt: newest.info.mtime, bytes: newest.info.size };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(scratchUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: scratchUrl,
    connectionTimeoutMillis: 5000,
    application_name: 'opsbot-verify',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `The scratch Postgres server (backup.verify.scratchUrl) failed: ${redactSecrets((err as Error).message)}.`,
      'Check that it is reachable and that its user may CREATE DATABASE.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh, uniquely named database on the scratch server; returns its URL (kept out of job data and logs). */
export async function createScratchDatabase(scratchUrl: string, name: string): Promise<string> {
  await admin(scratchUrl, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  return withDatabase(scratchUrl, name);
}

export async function dropScratchDatabase(scratchUrl: string, name: string): Promise<void> {
  if (!name.startsWith('opsbot_verify_')) throw new Error(`refusing to drop ${name}: not an opsbot scratch database`);
  await admin(scratchUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}

/**
 * pg_restore into the scratch database without owners or grants (the scratch
 * server has other roles). The password goes in the environment, never argv.
 * Any restore error fails the verification: a backup that restores with errors is not proven.
 */
export async function pgRestore(dumpPath: string, databaseUrl: string, signal: AbortSignal): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = { ...process.env, PGPASSWORD: password, PGAPPNAME: 'opsbot-verify', PGCONNECT_TIMEOUT: '10' };
  const stderr: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('pg_restore', ['--no-owner', '--no-privileges', '--dbname', url.toString(), dumpPath], {
      env,
      signal,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    child.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        reject(
          new UserError(
            "`pg_restore` is not installed where opsbot's worker runs.",
            'Install the PostgreSQL client tools (same major version as the server or newer).',
          ),
        );
      else reject(signal.aborted ? abortReason(signal) : err);
    });
    child.on('close', resolve);
  });
  if (code !== 0) {
    const lines = redactSecrets(stderr.join(''))
      .split('\n')
      .filter((l) => l.trim())
      .slice(0, 6);
    throw new UserError(
      `pg_restore failed (exit ${code}) restoring \`${dumpPath}\`.`,
      lines.join('\n') || 'It printed nothing; check the dump file.',
    );
  }
}
