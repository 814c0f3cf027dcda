import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { commandContext, configFor, queryRows, runSql } from '../support/pg-fixtures.js';
import { TargetDatabases } from '../../src/probes/target-postgres.js';
import { planReindex, resolveReindexTarget, runReindex } from '../../src/probes/pg-diagnostics/reindex.js';
import { dbReindex } from '../../commands/db/reindex.js';
import { isJobRequest } from '../../src/core/command.js';

/** /ops db reindex against a real Postgres: concurrent rebuilds with progress, cancel, and the refused database form. */
describe('db reindex', () => {
  let db: TestDatabase;
  let targets: TargetDatabases;

  beforeAll(async () => {
    db = await createTestDatabase('opsbot_reindex');
    await runSql(
      db.url,
      'CREATE TABLE orders (id int PRIMARY KEY, customer int, note text)',
      `INSERT INTO orders SELECT g, g % 1000, md5(g::text) FROM generate_series(1, 300000) g`,
      'CREATE INDEX orders_customer_idx ON orders (customer)',
      'CREATE INDEX orders_note_idx ON orders (note)',
      'CREATE TABLE small (id int PRIMARY KEY)',
    );
    targets = new TargetDatabases(configFor(db.url));
  });

  afterAll(async () => {
    await targets?.closeAll();
    await db?.drop();
  });

  it('rebuilds one index concurrently, reporting progress from pg_stat_progress_create_index', async () => {
    const target = await targets.readOnly('prod', (q) => resolveReindexTarget(q, 'orders_note_idx'));
    expect(target).toMatchObject({ kind: 'index', schema: 'public', name: 'orders_note_idx', indexCount: 1 });
    const plan = planReindex(target, 'prod', false);
    expect(plan.sql).toBe('REINDEX (CONCURRENTLY) INDEX "public"."orders_note_idx"');
    const notes: string[] = [];
    const report = await runReindex(targets, 'prod', plan, {
      signal: new AbortController().signal,
      progress: async (_p, note) => void notes.push(note),
      pollMs: 20,
    });
    expect(report.cancelled).toBe(false);
    expect(report.leftInvalid).toEqual([]);
    expect(report.bytesAfter).toBeGreaterThan(0);
    expect(notes.some((n) => n.includes('orders_note_idx'))).toBe(true);
    const valid = await queryRows(
      db.url,
      `SELECT bool_and(indisvalid) AS ok FROM pg_index WHERE indrelid = 'orders'::regclass`,
    );
    expect(valid[0].ok).toBe(true);
  });

  it('cancels a running rebuild and names the invalid index it leaves behind', async () => {
    const target = await targets.readOnly('prod', (q) => resolveReindexTarget(q, 'orders'));
    expect(target).toMatchObject({ kind: 'table', indexCount: 3 });
    const abort = new AbortController();
    const report = await runReindex(targets, 'prod', planReindex(target, 'prod', false), {
      signal: abort.signal,
      // Cancelled once the new index is being built (its catalogue entry committed), as a person would mid-run.
      progress: async (_p, note) => void (note.includes('building') && abort.abort()),
      pollMs: 10,
    });
    expect(report.cancelled).toBe(true);
    expect(report.leftInvalid.length).toBeGreaterThan(0);
    expect(report.leftInvalid[0]).toMatch(/_ccnew/);
    for (const name of report.leftInvalid) {
      const [schema, index] = name.split('.');
      await runSql(db.url, `DROP INDEX CONCURRENTLY "${schema}"."${index}"`);
    }
  });

  it('refuses REINDEX DATABASE unless --blocking, explaining the lock; --blocking goes through approval', async () => {
    const ctx = commandContext(dbReindex, configFor(db.url), targets);
    await expect(dbReindex.plan(ctx, { target: 'database', blocking: false })).rejects.toThrow(
      /Refusing to REINDEX DATABASE .*\(SHARE lock\)/,
    );
    const blocking = await dbReindex.plan(ctx, { target: 'database', blocking: true });
    expect(dbReindex.needsApproval!(blocking)).toBe(true);
    expect(blocking.effects[0]).toMatch(/^Rebuilds \d+ indexes of database .* with plain REINDEX/);
    const plan = await dbReindex.plan(ctx, { target: 'orders', blocking: false });
    expect(dbReindex.needsApproval!(plan)).toBe(false);
    expect(plan.data.resolved).toMatchObject({ kind: 'table', schema: 'public', name: 'orders' });
    const job = await dbReindex.execute(ctx, plan);
    expect(isJobRequest(job) && job.job.title).toBe('REINDEX CONCURRENTLY orders on prod');
    await expect(dbReindex.plan(ctx, { target: 'nope', blocking: false })).rejects.toThrow(/No table or index `nope`/);
    await expect(dbReindex.plan(ctx, { target: 'orders; drop', blocking: false })).rejects.toThrow(
      /not a table or index/,
    );
  });
});
