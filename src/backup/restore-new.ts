import pg from 'pg';
import { redactSecrets } from '../redact.js';
import { UserError } from '../errors.js';
import { restoreDump } from './restore-dump.js';
import { countRows, largestTables, DEFAULT_LARGEST_TABLES } from './row-counts.js';
import type { BackupFormat } from '../config/self-hosted.js';

export interface RestoreNewRequest {
  /** The live database: the new one is created on the same server, with the same credentials. */
  liveUrl: string;
  dumpPath: string;
  /** Default: <live>_restored_<yyyymmddhhmm>. Must not exist yet. */
  database?: string;
  signal: AbortSignal;
  now?: Date;
}

export interface RestoreNewResult {
  database: string;
  format: BackupFormat;
  /** Row counts of the largest tables of the restored copy. */
  rowCounts: { table: string; rows: number | null }[];
  durationMs: number;
  /** How to point the app at it, without the password. */
  howToUse: string;
}

/**
 * Restores a dump into a NEW database beside the live one (never over it): a
 * name that exists, including the live database's own, is refused. A restore
 * that fails drops the half-restored database it created.
 */
export async function restoreToNewDatabase(req: RestoreNewRequest): Promise<RestoreNewResult> {
  const started = Date.now();
  const live = new URL(req.liveUrl);
  const liveName = decodeURIComponent(live.pathname.slice(1));
  const stamp = (req.now ?? new Date()).toISOString().replace(/\D/g, '').slice(0, 12);
  const database = req.database ?? `${liveName}_restored_${stamp}`.slice(0, 63);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database))
    throw new UserError(
      `\`${database}\` is not a database name opsbot creates.`,
      'Use lower-case letters, digits and _.',
    );
  if (database === liveName)
    throw new UserError(
      `Refusing to restore over the live database \`${liveName}\`.`,
      'Restores go into a new database; pick another name.',
    );
  await adminQuery(req.liveUrl, `CREATE DATABASE ${pg.escapeIdentifier(database)}`, database);
  const target = new URL(req.liveUrl);
  target.pathname = `/${database}`;
  let format: BackupFormat;
  try {
    format = await restoreDump(req.dumpPath, target.toString(), req.signal);
  } catch (err) {
    await adminQuery(
      req.liveUrl,
      `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`,
      database,
    ).catch(() => undefined);
    throw err;
  }
  const rowCounts = await withClient(target.toString(), async (db) => {
    const tables = await largestTables(db, DEFAULT_LARGEST_TABLES);
    const counts = await countRows(db, tables, req.signal);
    return tables.map((table) => ({ table, rows: counts.get(table) ?? null }));
  });
  target.password = '';
  return {
    database,
    format,
    rowCounts,
    durationMs: Date.now() - started,
    howToUse: `Point the app at ${redactSecrets(target.toString())} (its DATABASE_URL, keeping the password) and restart it; the old database \`${liveName}\` is untouched.`,
  };
}

async function adminQuery(liveUrl: string, sql: string, database: string): Promise<void> {
  const admin = new URL(liveUrl);
  admin.pathname = '/postgres';
  try {
    await withClient(admin.toString(), (c) => c.query(sql));
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === '42P04')
      throw new UserError(
        `A database \`${database}\` already exists; opsbot restores only into a new one.`,
        'Pick another name.',
      );
    if (e.code === '42501')
      throw new UserError(
        `The database user may not create databases, so \`${database}\` cannot be created.`,
        'Grant it CREATEDB (`ALTER ROLE <user> CREATEDB`), or restore with a user that has it.',
      );
    throw new UserError(`Cannot create the database \`${database}\`: ${redactSecrets(e.message)}.`);
  }
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    application_name: 'opsbot-restore',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
