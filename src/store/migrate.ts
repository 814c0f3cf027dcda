import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../log.js';

/** The .sql files live in src/store/migrations both when run with tsx and from dist/. */
function migrationsDir(): string {
  const candidates = [
    new URL('./migrations', import.meta.url),
    new URL('../../../src/store/migrations', import.meta.url),
  ];
  const found = candidates.map((u) => fileURLToPath(u)).find((dir) => existsSync(dir));
  if (!found) throw new Error('migrations folder not found next to src/store/migrate');
  return found;
}

/**
 * Applies pending migrations under an advisory lock (several replicas may start
 * at once; the others wait). Creates the database first when it is missing,
 * which is what a fresh local install needs.
 */
export async function migrate(databaseUrl: string, log: Logger): Promise<string[]> {
  await createDatabaseIfMissing(databaseUrl, log);
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir(),
    direction: 'up',
    migrationsTable: 'opsbot_migrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log: (msg: string) => log.debug({ migration: msg }, 'migration'),
  } as Parameters<typeof runner>[0]);
  const names = applied.map((m) => m.name);
  if (names.length > 0) log.info({ applied: names }, 'database migrated');
  return names;
}

async function createDatabaseIfMissing(databaseUrl: string, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    log.info({ database: name }, 'created the bot database');
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // another replica created it first
  } finally {
    await admin.end();
  }
}
