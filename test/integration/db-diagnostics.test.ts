import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { SideClients, configFor, queryRows, runSql } from '../support/pg-fixtures.js';
import { waitUntil } from '../support/wait.js';
import { TargetDatabases } from '../../src/probes/target-postgres.js';
import { queryConnections } from '../../src/probes/pg-diagnostics/connections.js';
import { queryActivity, queryBlocked } from '../../src/probes/pg-diagnostics/activity.js';
import { queryDatabaseSize, queryTableSizes } from '../../src/probes/pg-diagnostics/sizes.js';
import { queryIndexUsage } from '../../src/probes/pg-diagnostics/indexes.js';
import { queryVacuumStats } from '../../src/probes/pg-diagnostics/vacuum-stats.js';
import { queryBloat } from '../../src/probes/pg-diagnostics/bloat.js';
import { queryCacheStats } from '../../src/probes/pg-diagnostics/cache.js';
import { querySlowStatements } from '../../src/probes/pg-diagnostics/statements.js';
import { resolveTable } from '../../src/probes/pg-diagnostics/tables.js';

/** Diagnostics against a real Postgres, each checked against what this file set up. */
describe('target-Postgres diagnostics', () => {
  let db: TestDatabase;
  let targets: TargetDatabases;
  let side: SideClients;
  const ro = <T>(
    fn: Parameters<TargetDatabases['readOnly']>[1] extends (db: infer Q) => Promise<unknown>
      ? (db: Q) => Promise<T>
      : never,
  ) => targets.readOnly('prod', fn);

  beforeAll(async () => {
    db = await createTestDatabase('opsbot_dbdiag');
    await runSql(
      db.url,
      // Dead tuples on every page (so VACUUM cannot truncate them away) and autovacuum off, so nothing cleans up behind the test.
      `CREATE TABLE orders (id int PRIMARY KEY, customer int NOT NULL, note text) WITH (autovacuum_enabled = false)`,
      `INSERT INTO orders SELECT g, g % 100, repeat('x', 100) FROM generate_series(1, 20000) g`,
      `CREATE INDEX orders_customer_unused ON orders (customer)`,
      `DELETE FROM orders WHERE id % 10 <> 0`,
      `CREATE TABLE events (id bigserial PRIMARY KEY, kind text, body text)`,
      `INSERT INTO events (kind, body) SELECT 'k' || (g % 7), repeat(md5(g::text), 200) FROM generate_series(1, 300) g`,
      `CREATE INDEX events_kind_used ON events (kind)`,
      `CREATE TABLE locked (id int PRIMARY KEY, v int)`,
      `INSERT INTO locked VALUES (1, 0)`,
      `CREATE SCHEMA "Sales"`,
      `CREATE TABLE "Sales"."Leads" (id int)`,
    );
    // Analyzed from another session: the first one's own counters, flushed when it exits, would otherwise land after ANALYZE's.
    await runSql(db.url, 'ANALYZE orders');
    // Sixty index scans: events_kind_used is used, orders_customer_unused is not.
    await runSql(
      db.url,
      'SET enable_seqscan = off',
      ...Array.from({ length: 60 }, (_, i) => `SELECT count(*) FROM events WHERE kind = 'k${i % 7}'`),
    );
    targets = new TargetDatabases(configFor(db.url));
    side = new SideClients(db.url);
  });

  afterAll(async () => {
    await side?.close();
    await targets?.closeAll();
    await db?.drop();
  });

  /** A session running pg_sleep(30) under the given application name, once Postgres shows it active. */
  async function startSleeper(application: string, runningForMs = 0) {
    const sleeper = await side.open(application);
    void side.start(sleeper.client, 'SELECT pg_sleep(30)');
    await waitUntil(
      `${application} to be active for ${runningForMs}ms`,
      async () =>
        (
          await queryRows(
            db.url,
            `SELECT 1 FROM pg_stat_activity
            WHERE pid = $1 AND state = 'active' AND clock_timestamp() - query_start > $2 * interval '1 millisecond'`,
            [sleeper.pid, runningForMs],
          )
        ).length === 1,
    );
    return sleeper;
  }

  it('counts connections by state and by application against max_connections', async () => {
    for (let i = 0; i < 3; i++) await side.open('idle');
    await startSleeper('sleeper');
    const snap = await ro((q) => queryConnections(q));
    const max = (await queryRows<{ max: string }>(db.url, `SELECT current_setting('max_connections') AS max`))[0].max;
    expect(snap.maxConnections).toBe(Number(max));
    expect(snap.groups.find((g) => g.application === `${side.tag}-idle`)).toMatchObject({
      total: 3,
      idle: 3,
      active: 0,
      database: db.name,
      user: 'postgres',
    });
    expect(snap.groups.find((g) => g.application === `${side.tag}-sleeper`)).toMatchObject({ total: 1, active: 1 });
    expect(snap.total).toBe(snap.groups.reduce((s, g) => s + g.total, 0));
    expect(snap.byState.find((s) => s.state === 'idle')!.count).toBeGreaterThanOrEqual(3);
  });

  it('lists busy sessions with duration and application, and only the long ones with a bound', async () => {
    await side.open('long-idle');
    const { pid } = await startSleeper('long-sleeper', 1000);
    const all = await ro((q) => queryActivity(q));
    const sleeper = all.find((a) => a.pid === pid);
    expect(sleeper).toMatchObject({
      application: `${side.tag}-long-sleeper`,
      state: 'active',
      user: 'postgres',
      waitEventType: 'Timeout',
      waitEvent: 'PgSleep',
    });
    expect(sleeper!.query).toContain('pg_sleep(30)');
    expect(sleeper!.durationMs).toBeGreaterThan(1000);
    expect(all.some((a) => a.application === `${side.tag}-long-idle`)).toBe(false);
    expect((await ro((q) => queryActivity(q, { minDurationMs: 1000 }))).map((a) => a.pid)).toContain(pid);
    expect((await ro((q) => queryActivity(q, { minDurationMs: 60_000 }))).map((a) => a.pid)).not.toContain(pid);
  });

  it('shows a blocked update and the idle-in-transaction session that blocks it', async () => {
    const holder = await side.open('holder');
    await holder.client.query('BEGIN');
    await holder.client.query('UPDATE locked SET v = 1 WHERE id = 1');
    const waiter = await side.open('waiter');
    void side.start(waiter.client, 'UPDATE locked SET v = 2 WHERE id = 1');
    await waitUntil(
      'the waiter to wait for the lock',
      async () =>
        (
          await queryRows(db.url, `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [
            waiter.pid,
          ])
        ).length === 1,
    );
    const blocked = await ro((q) => queryBlocked(q));
    const row = blocked.find((b) => b.blocked.pid === waiter.pid);
    expect(row).toBeDefined();
    expect(row!.blocking.pid).toBe(holder.pid);
    expect(row!.blocking.state).toBe('idle in transaction');
    expect(row!.blocked.query).toContain('UPDATE locked SET v = 2');
    expect(row!.waitingFor).toContain('transactionid');
  });

  it('reports database and table sizes with index and TOAST split and row estimates', async () => {
    const size = await ro((q) => queryDatabaseSize(q));
    expect(size.database).toBe(db.name);
    expect(size.tableCount).toBe(4);
    expect(size.bytes).toBeGreaterThan(size.tableBytes + size.indexBytes);
    const { tables, count } = await ro((q) => queryTableSizes(q, 2));
    expect(count).toBe(4);
    expect(tables).toHaveLength(2);
    const orders = tables.find((t) => t.name === 'orders')!;
    expect(orders.rowEstimate).toBe(2000);
    expect(orders.totalBytes).toBe(orders.tableBytes + orders.indexBytes + orders.toastBytes);
    expect(orders.indexBytes).toBeGreaterThan(0);
    const events = (await ro((q) => queryTableSizes(q, 10))).tables.find((t) => t.name === 'events')!;
    expect(events.toastBytes).toBeGreaterThan(0);
    expect(events.rowEstimate === null || events.rowEstimate === 300).toBe(true);
  });

  it('finds the unused index, not the used one nor primary keys', async () => {
    const report = await ro((q) => queryIndexUsage(q, { limit: 20 }));
    const names = report.indexes.map((i) => i.index);
    expect(names).toContain('orders_customer_unused');
    expect(names).not.toContain('events_kind_used');
    expect(names).not.toContain('orders_pkey');
    expect(report.indexes.find((i) => i.index === 'orders_customer_unused')).toMatchObject({
      scans: 0,
      table: 'orders',
      valid: true,
    });
  });

  it('reports dead tuples and that autovacuum is off for the table', async () => {
    const report = await ro((q) => queryVacuumStats(q, 10));
    expect(report.tables[0]).toMatchObject({ name: 'orders', dead: 18000, autovacuumEnabled: false });
    expect(report.tables[0].live).toBeGreaterThan(0);
    expect(report.tables[0].lastAnalyze).toBeInstanceOf(Date);
    expect(report.tables[0].lastVacuum).toBeNull();
  });

  it('estimates the bloat left by the deleted rows in the table and its indexes', async () => {
    const bloat = await ro((q) => queryBloat(q, 10));
    const table = bloat.find((b) => b.kind === 'table' && b.table === 'orders')!;
    expect(table.bloatPercent).toBeGreaterThan(70);
    const index = bloat.find((b) => b.kind === 'index' && b.index === 'orders_customer_unused')!;
    expect(index.bloatPercent).toBeGreaterThan(50);
  });

  it('computes cache hit ratios', async () => {
    const stats = await ro((q) => queryCacheStats(q));
    expect(stats.databaseRatio).toBeGreaterThan(0);
    expect(stats.databaseRatio).toBeLessThanOrEqual(1);
    expect(stats.tableRatio).not.toBeNull();
  });

  it('resolves table names through the catalogue, quoted or not, and suggests on a typo', async () => {
    expect(await ro((q) => resolveTable(q, 'orders', 'prod'))).toMatchObject({ schema: 'public', name: 'orders' });
    expect(await ro((q) => resolveTable(q, '"Sales"."Leads"', 'prod'))).toMatchObject({
      schema: 'Sales',
      name: 'Leads',
    });
    await expect(ro((q) => resolveTable(q, 'order', 'prod'))).rejects.toThrow(/no table `order`/);
    await expect(ro((q) => resolveTable(q, 'orders; DROP TABLE orders', 'prod'))).rejects.toThrow(/not a table name/);
    await expect(ro((q) => resolveTable(q, 'orders_pkey', 'prod'))).rejects.toThrow(/is not a table \(it is a index\)/);
    expect((await queryRows(db.url, 'SELECT count(*)::int AS n FROM orders'))[0].n).toBe(2000);
  });

  it('says how to enable pg_stat_statements when this database lacks it', async () => {
    const result = await ro((q) => querySlowStatements(q, { orderBy: 'mean', limit: 10 }));
    expect(result.installed).toBe(false);
  });

  it('runs diagnostics read-only, named opsbot, under the statement timeout', async () => {
    const settings = await ro(
      async (q) =>
        (
          await q.query(
            `SELECT current_setting('transaction_read_only') AS ro, current_setting('application_name') AS app, current_setting('statement_timeout') AS st`,
          )
        ).rows[0],
    );
    expect(settings).toEqual({ ro: 'on', app: 'opsbot', st: '5s' });
    await expect(ro((q) => q.query('CREATE TABLE nope (id int)'))).rejects.toThrow(/read-only transaction/);
  });
});
