import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { commandContext, configFor, runSql } from '../support/pg-fixtures.js';
import { TargetDatabases } from '../../src/probes/target-postgres.js';
import { explainSelect } from '../../src/probes/pg-diagnostics/explain.js';
import { costliestNodes } from '../../views/db-explain.js';
import { queryMissingIndexes } from '../../src/probes/pg-diagnostics/missing-indexes.js';
import { runSavedQuery } from '../../src/probes/pg-diagnostics/saved-query.js';
import { dbExplain } from '../../commands/db/explain.js';
import { query } from '../../commands/query.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import type { Reply } from '../../src/core/reply.js';

/** /ops db explain, db missing-indexes and query against a real Postgres. */
describe('database read commands', () => {
  let db: TestDatabase;
  let targets: TargetDatabases;
  const config = () =>
    configFor(
      db.url,
      `queries:
  active-users: { sql: "select count(*) as active_users from users where last_seen > now() - interval '1 day'", env: prod, description: Daily active users }
  recent: { sql: "select id, email from users order by id desc" }
  sneaky: { sql: "select 1; delete from users" }`,
    );

  beforeAll(async () => {
    db = await createTestDatabase('opsbot_dbread');
    await runSql(
      db.url,
      `CREATE TABLE users (id int PRIMARY KEY, email text, last_seen timestamptz, plan int)`,
      `INSERT INTO users SELECT g, 'u' || g || '@example.com', now() - (g % 48) * interval '1 hour', (random() * 1000)::int
         FROM generate_series(1, 30000) g`,
      `CREATE TABLE small (id int PRIMARY KEY)`,
      `INSERT INTO small SELECT generate_series(1, 10)`,
      'ANALYZE users',
    );
    // Sixty sequential scans over users filtering on a column no index starts with.
    await runSql(db.url, ...Array.from({ length: 60 }, (_, i) => `SELECT count(*) FROM users WHERE plan = ${i}`));
    targets = new TargetDatabases(config());
  });

  afterAll(async () => {
    await targets?.closeAll();
    await db?.drop();
  });

  it('explains a SELECT with the sequential scan as the costliest node', async () => {
    const result = await targets.readOnly('prod', (q) =>
      explainSelect(q, 'select * from users where plan = 7;', { analyze: false }),
    );
    expect(result.analyzed).toBe(false);
    expect(result.nodes[0].totalCost).toBeGreaterThan(0);
    const top = costliestNodes(result)[0];
    expect(top.type).toBe('Seq Scan');
    expect(top.target).toBe('users');
    expect(top.condition).toMatch(/filter: \(plan = 7\)/);
  });

  it('runs the query with --analyze, read-only, and reports real times and rows', async () => {
    const result = await targets.readOnly('prod', (q) =>
      explainSelect(q, 'select plan, count(*) from users group by plan order by 2 desc', { analyze: true }),
    );
    expect(result.analyzed).toBe(true);
    expect(result.executionMs).toBeGreaterThan(0);
    const scan = result.nodes.find((n) => n.type === 'Seq Scan');
    expect(scan?.actualRows).toBe(30000);
  });

  it('answers the command with the plan tree, and refuses writes before reaching the database', async () => {
    const ctx = commandContext(dbExplain, config(), targets);
    const reply = (await dbExplain.run(ctx, { sql: 'select * from users where plan = 3', analyze: false })) as Reply;
    const text = renderReplyAsText(reply);
    expect(text).toContain('Costliest nodes');
    expect(text).toContain('Seq Scan users');
    expect(reply.tone).toBe('warning');
    await expect(
      dbExplain.run(ctx, { sql: 'with x as (delete from users returning *) select * from x', analyze: true }),
    ).rejects.toThrow(/data-modifying `DELETE`/);
    const { rows } = await targets.readOnly('prod', (q) => q.query('select count(*)::int as n from users'));
    expect(rows[0].n).toBe(30000);
  });

  it('the read-only transaction stops a write the check cannot see (a volatile function that writes)', async () => {
    await runSql(
      db.url,
      `CREATE FUNCTION sneaky_write() RETURNS int LANGUAGE sql AS $$ DELETE FROM small RETURNING 1 $$`,
    );
    await expect(
      targets.readOnly('prod', (q) => explainSelect(q, 'select sneaky_write()', { analyze: true })),
    ).rejects.toThrow(/read-only transaction/);
    const { rows } = await targets.readOnly('prod', (q) => q.query('select count(*)::int as n from small'));
    expect(rows[0].n).toBe(10);
  });

  it('finds the table read by sequential scans and suggests the filtered column', async () => {
    const report = await targets.readOnly('prod', (q) => queryMissingIndexes(q));
    const users = report.tables.find((t) => t.name === 'users');
    expect(users).toBeDefined();
    expect(users!.seqScans).toBeGreaterThanOrEqual(60);
    expect(users!.suggestedColumn).not.toBe('id');
    expect(['plan', 'email', 'last_seen']).toContain(users!.suggestedColumn);
    expect(report.tables.some((t) => t.name === 'small')).toBe(false);
  });

  it('runs a saved query as a table, with its env as the default, and refuses a saved write', async () => {
    const table = await targets.readOnly('prod', (q) => runSavedQuery(q, 'select id, email from users order by id', 5));
    expect(table.columns).toEqual(['id', 'email']);
    expect(table.rows).toHaveLength(5);
    expect(table.truncated).toBe(true);
    expect(table.rows[0]).toEqual(['1', 'u1@example.com']);

    const ctx = commandContext(query, config(), targets);
    const single = (await query.run(ctx, { name: 'active-users' })) as Reply;
    expect(single.text).toMatch(/active-users on prod: active_users \d+/);
    const many = renderReplyAsText((await query.run(ctx, { name: 'recent', env: 'prod' })) as Reply);
    expect(many).toContain('u30000@example.com');
    await expect(query.run(ctx, { name: 'sneaky' })).rejects.toThrow(/more than one statement/);
    await expect(query.run(ctx, { name: 'nope' })).rejects.toThrow(/No saved query `nope`/);
  });
});
