import { fakeServices } from '../support/services.js';
import type { BackupVerificationEntry } from '../../src/store/backup-verifications.js';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDump } from '../../src/backup/dump.js';
import { restoreDump } from '../../src/backup/restore-dump.js';
import { restoreToNewDatabase } from '../../src/backup/restore-new.js';
import { listBackups } from '../../src/backup/backup-files.js';
import { checkPgTools, serverMajor } from '../../src/backup/pg-tools.js';
import { verifyBackup } from '../../src/backup/verify.js';
import { parseConfig } from '../../src/config/load.js';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase, sql } from '../support/databases.js';

const never = new AbortController().signal;

describe('logical backups with the real pg_dump, pg_restore and psql', () => {
  let live: TestDatabase;
  let dir: string;
  const created: string[] = [];

  beforeAll(async () => {
    live = await createTestDatabase('opsbot_bk');
    await sql(
      live.url,
      `CREATE TABLE customers (id serial PRIMARY KEY, name text);
       CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id), note text);
       INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 100) g;
       INSERT INTO orders (customer_id, note) SELECT 1 + g % 100, md5(g::text) FROM generate_series(1, 2000) g;`,
    );
    dir = await mkdtemp(join(tmpdir(), 'opsbot-bk-'));
  });

  afterAll(async () => {
    for (const name of created)
      await sql(PG_ADMIN_URL, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await live?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the client tools and compares their major version with the server', async () => {
    const major = await serverMajor(live.url);
    const tools = await checkPgTools(['pg_dump', 'pg_restore', 'psql'], major);
    expect(tools.map((t) => t.tool)).toEqual(['pg_dump', 'pg_restore', 'psql']);
    await expect(checkPgTools(['pg_dump'], major + 1)).rejects.toThrow(
      `is older than the Postgres server (${major + 1})`,
    );
  });

  for (const format of ['sql', 'sql.gz', 'custom'] as const) {
    it(`dumps (${format}) under <env>-<yyyyMMdd-HHmm> and restores into a new database with the same rows`, async () => {
      const sub = await mkdtemp(join(dir, 'f-'));
      const dump = await runDump({
        envName: 'bk',
        url: live.url,
        dir: sub,
        format,
        timeoutMs: 60_000,
        now: new Date('2026-12-01T02:00:00Z'),
      });
      const ext = { sql: '.sql', 'sql.gz': '.sql.gz', custom: '.dump' }[format];
      expect(dump.file).toBe(`bk-20261201-0200${ext}`);
      expect(dump.bytes).toBeGreaterThan(1000);
      expect(await readdir(sub)).toEqual([dump.file]); // no temp file left
      const name = `${live.name}_r_${format.replace('.', '')}`;
      created.push(name);
      const restored = await restoreToNewDatabase({
        liveUrl: live.url,
        dumpPath: dump.path,
        database: name,
        signal: never,
      });
      expect(restored.format).toBe(format);
      expect(restored.rowCounts).toEqual(
        expect.arrayContaining([
          { table: 'orders', rows: 2000 },
          { table: 'customers', rows: 100 },
        ]),
      );
      expect(restored.howToUse).toContain(`/${name}`);
    });
  }

  it('never restores over the live database or into one that exists', async () => {
    const dump = await runDump({ envName: 'bk', url: live.url, dir, format: 'custom', timeoutMs: 60_000 });
    await expect(
      restoreToNewDatabase({ liveUrl: live.url, dumpPath: dump.path, database: live.name, signal: never }),
    ).rejects.toThrow('Refusing to restore over the live database');
    await expect(
      restoreToNewDatabase({ liveUrl: live.url, dumpPath: dump.path, database: 'postgres', signal: never }),
    ).rejects.toThrow('already exists');
  });

  it('says when the database user may not create the new database', async () => {
    const role = `opsbot_nocreate_${Date.now().toString(36)}`;
    await sql(PG_ADMIN_URL, `CREATE ROLE ${role} LOGIN NOCREATEDB`);
    try {
      const url = new URL(live.url);
      url.username = role;
      const dump = (await listBackups(dir, 'bk'))[0];
      const err = await restoreToNewDatabase({ liveUrl: url.toString(), dumpPath: dump.path, signal: never }).catch(
        (e) => e,
      );
      expect(err.message).toMatch(/may not create databases/);
      expect(err.hint).toContain('CREATEDB');
    } finally {
      await sql(PG_ADMIN_URL, `DROP ROLE ${role}`);
    }
  });

  it('fails a dump of a missing database without leaving a file or touching older ones', async () => {
    const sub = await mkdtemp(join(dir, 'fail-'));
    await writeFile(join(sub, 'bk-20261101-0200.sql.gz'), 'older backup');
    const url = new URL(live.url);
    url.pathname = '/no_such_db_here';
    url.password = 's3cret-pw';
    const err = await runDump({
      envName: 'bk',
      url: url.toString(),
      dir: sub,
      format: 'sql.gz',
      timeoutMs: 30_000,
    }).catch((e) => e);
    expect(err.message).toMatch(/pg_dump of bk failed \(exit 1\); no backup was written and older ones were kept/);
    expect(err.hint).toContain('no_such_db_here');
    expect(`${err.message}${err.hint}`).not.toContain('s3cret-pw');
    expect(await readdir(sub)).toEqual(['bk-20261101-0200.sql.gz']);
  });

  it('rejects dumps that do not restore: corrupt custom, truncated gzip, bad SQL', async () => {
    const target = await createTestDatabase('opsbot_bk_bad');
    try {
      await writeFile(join(dir, 'bad.dump'), Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(64, 7)]));
      await expect(restoreDump(join(dir, 'bad.dump'), target.url, never)).rejects.toThrow(/pg_restore failed/);
      const good = (await listBackups(dir, 'bk')).find((f) => f.format === 'custom')!;
      expect(good).toBeDefined();
      const gz = (await runDump({ envName: 'gz', url: live.url, dir, format: 'sql.gz', timeoutMs: 60_000 })).path;
      const bytes = execFileSync('head', ['-c', '600', gz]);
      await writeFile(join(dir, 'cut.sql.gz'), bytes);
      await expect(restoreDump(join(dir, 'cut.sql.gz'), target.url, never)).rejects.toThrow(
        /not a valid gzip file|psql failed/,
      );
      await writeFile(join(dir, 'bad.sql'), 'CREATE TABLE t (id int);\nINSERT INTO nope VALUES (1);\n');
      const err = await restoreDump(join(dir, 'bad.sql'), target.url, never).catch((e) => e);
      expect(err.message).toMatch(/psql failed \(exit 3\)/);
      expect(err.hint).toContain('relation "nope" does not exist');
    } finally {
      await target.drop();
    }
  });

  it('restores gzip in-process where no gzip binary is installed, refusing a truncated file all the same', async () => {
    const gz = (await runDump({ envName: 'nogz', url: live.url, dir, format: 'sql.gz', timeoutMs: 60_000 })).path;
    await writeFile(join(dir, 'nogz-cut.sql.gz'), execFileSync('head', ['-c', '900', gz]));
    // A PATH with psql only: spawning gzip fails with ENOENT, as on a machine without it.
    const bin = await mkdtemp(join(dir, 'bin-'));
    await symlink(execFileSync('sh', ['-c', 'command -v psql']).toString().trim(), join(bin, 'psql'));
    const target = await createTestDatabase('opsbot_bk_nogz');
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      expect(await restoreDump(gz, target.url, never)).toBe('sql.gz');
      const cut = await createTestDatabase('opsbot_bk_nogz_cut');
      try {
        await expect(restoreDump(join(dir, 'nogz-cut.sql.gz'), cut.url, never)).rejects.toThrow(
          /not a valid gzip file|psql failed/,
        );
      } finally {
        process.env.PATH = path;
        await cut.drop();
      }
      const [{ n }] = await sql(target.url, 'SELECT count(*)::int AS n FROM orders');
      expect(n).toBe(2000);
    } finally {
      process.env.PATH = path;
      await target.drop();
    }
  });

  it('verifies the newest plain gzip backup of database.backup into a scratch database and drops it', async () => {
    const sub = await mkdtemp(join(dir, 'verify-'));
    await runDump({ envName: 'bk', url: live.url, dir: sub, format: 'sql.gz', timeoutMs: 60_000 });
    const { config } = parseConfig(
      `environments:\n  bk:\n    database: { url: "${live.url}", backup: { dir: "${sub}" } }\n    backup: { verify: { scratchUrl: "${PG_ADMIN_URL}" } }\n`,
      {},
    );
    const recorded: BackupVerificationEntry[] = [];
    const readsThroughSession = async (): Promise<never> => {
      throw new Error('backup verify reads the live database through session() only');
    };
    const services = fakeServices({
      backupVerifications: {
        record: async (r) => (recorded.push(r), { id: 1, finishedAt: new Date(), ...r }),
        latest: async () => undefined,
      },
      targets: {
        readOnly: readsThroughSession,
        execute: readsThroughSession,
        session: (_env, work) =>
          withClient(live.url, (client) =>
            work({ pid: 0, query: client.query.bind(client), onNotice: () => undefined }),
          ),
      },
    });
    const result = await verifyBackup({
      envName: 'bk',
      env: config.environments.bk,
      services,
      signal: never,
      progress: async () => undefined,
    });
    expect(result.ok).toBe(true);
    expect(result.source).toMatch(/bk-\d{8}-\d{4}\.sql\.gz$/);
    expect(result.checks.map((c) => c.table)).toEqual(expect.arrayContaining(['orders', 'customers']));
    expect(recorded[0].cleanup).toMatch(/^dropped scratch database opsbot_verify_bk_/);
    const left = await sql(PG_ADMIN_URL, "SELECT datname FROM pg_database WHERE datname LIKE 'opsbot_verify_bk_%'");
    expect(left).toEqual([]);
  });
});

async function withClient<T>(url: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
