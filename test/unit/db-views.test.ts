import { describe, expect, it } from 'vitest';
import { querySlowStatements } from '../../src/probes/pg-diagnostics/statements.js';
import { maskQuery } from '../../src/probes/pg-diagnostics/sql.js';
import type { Queryable } from '../../src/probes/target-postgres.js';
import { toUserError } from '../../src/probes/pg-errors.js';
import { renderDbConnections } from '../../views/db-connections.js';
import { renderDbCache } from '../../views/db-cache.js';
import { renderDbSlow } from '../../views/db-slow.js';
import { formatAge, formatBytes, tableSections, thresholdBar } from '../../views/db-format.js';
import { describeKillIdleEffect } from '../../views/db-kill.js';
import { renderReplyAsText } from '../../views/plain-text.js';

/** A Queryable that answers from a script and records the SQL it was sent. */
function scripted(answers: Record<string, unknown>[][]): Queryable & { sql: string[] } {
  const sql: string[] = [];
  return {
    sql,
    query: (async (text: string) => {
      sql.push(text);
      return { rows: answers.shift() ?? [] };
    }) as unknown as Queryable['query'],
  } as Queryable & { sql: string[] };
}

describe('db views and helpers', () => {
  const snapshot = (total: number) => ({
    maxConnections: 100,
    reserved: 3,
    total,
    byState: [{ state: 'idle', count: total }],
    groups: [{ user: 'app', application: 'web', database: 'app', total, active: 0, idle: total, idleInTransaction: 0 }],
    oldestIdleInTransactionMs: null,
  });

  it('colours connections against the warning and critical lines (Expo 80 %, Invoice 90 %) and draws the bar', () => {
    const lines = { percent: { warn: 80, critical: 90 } };
    expect(renderDbConnections('prod', snapshot(10), lines).tone).toBe('ok');
    expect(renderDbConnections('prod', snapshot(85), lines)).toMatchObject({
      tone: 'warning',
      text: 'prod: 85/100 connections (85%, over the 80% warning line)',
    });
    const over = renderDbConnections('prod', snapshot(92), lines);
    expect(over.tone).toBe('danger');
    expect(over.text).toBe('prod: 92/100 connections (92%, over the 90% critical line)');
    expect(renderReplyAsText(over)).toContain('/ops db kill-idle prod --older 10m');
    expect(thresholdBar(50, 80, 10)).toBe('▰▰▰▰▰▱▱▱│▱▱ 50%');
  });

  it('judges an absolute connection count beside the share of max (ESN: < 50 good, > 80 alert)', () => {
    const lines = { percent: { warn: 80, critical: 90 }, count: { warn: 50, critical: 80 } };
    const big = { ...snapshot(60), maxConnections: 1000 };
    expect(renderDbConnections('prod', big, lines)).toMatchObject({ tone: 'warning' });
    expect(renderDbConnections('prod', { ...big, total: 85 }, lines).text).toContain(
      'over the 80-connection critical line',
    );
  });

  it('rates the cache hit ratio against configured lines (here 80 % and 70 %)', () => {
    const stats = (ratio: number) => ({
      databaseRatio: ratio,
      tableRatio: ratio,
      indexRatio: ratio,
      statsSince: null,
      mostRead: [],
    });
    const now = new Date();
    const old = { warn: 80, critical: 70 };
    expect(renderDbCache('prod', stats(0.995), old, now).tone).toBe('ok');
    expect(renderDbCache('prod', stats(0.75), old, now).tone).toBe('warning');
    expect(renderDbCache('prod', stats(0.6), old, now)).toMatchObject({
      tone: 'danger',
      text: 'prod: cache hit ratio 60.0% (below the 70% alert line)',
    });
  });

  it('never says "since statistics were reset never" (issue 14, case 7)', () => {
    const stats = { databaseRatio: 0.995, tableRatio: 1, indexRatio: 1, statsSince: null, mostRead: [] };
    const text = renderReplyAsText(renderDbCache('prod', stats, { warn: 99, critical: 90 }, new Date()));
    expect(text).not.toContain('reset never');
    expect(text).toContain('statistics never reset');
  });

  it('judges the Postgres buffer cache against 99 %, not the 80 % CloudFront target', () => {
    const stats = (ratio: number) => ({
      databaseRatio: ratio,
      tableRatio: ratio,
      indexRatio: ratio,
      statsSince: null,
      mostRead: [],
    });
    const lines = { warn: 99, critical: 90 };
    expect(renderDbCache('prod', stats(0.995), lines, new Date()).tone).toBe('ok');
    expect(renderDbCache('prod', stats(0.95), lines, new Date())).toMatchObject({
      tone: 'warning',
      text: 'prod: cache hit ratio 95.0% (below the 99% target)',
    });
    expect(renderDbCache('prod', stats(0.85), lines, new Date())).toMatchObject({
      tone: 'danger',
      text: 'prod: cache hit ratio 85.0% (below the 90% alert line)',
    });
  });

  it('explains every step to enable pg_stat_statements when the library is not loaded', () => {
    const text = renderReplyAsText(renderDbSlow('prod', { installed: false, loaded: false, available: true }));
    expect(text).toContain('shared_preload_libraries');
    expect(text).toContain('parameter group');
    expect(text).toContain('Restart Postgres (RDS: reboot the instance');
    expect(text).toContain('CREATE EXTENSION IF NOT EXISTS pg_stat_statements;');
  });

  it('reads total_time/mean_time from pg_stat_statements before 1.8 (Postgres 12)', async () => {
    const db = scripted([
      [{ schema: 'public', version: '1.7', preload: 'pg_stat_statements' }],
      [{ attname: 'query' }, { attname: 'total_time' }, { attname: 'mean_time' }],
      [{ query_id: '1', query: 'SELECT 1', calls: 3, total_ms: 9, mean_ms: 3, rows: 3, hit_ratio: 1, all_ms: 9 }],
    ]);
    const result = await querySlowStatements(db, { orderBy: 'total', limit: 5 });
    expect(result).toMatchObject({ installed: true, columns: 'time', statements: [{ meanMs: 3, totalMs: 9 }] });
    expect(db.sql[2]).toContain('total_time::float8 AS total_ms');
    expect(db.sql[2]).toContain('ORDER BY total_time DESC');
    expect(db.sql[2]).not.toContain('exec_time');
  });

  it('reads total_exec_time/mean_exec_time from 1.8 on (Postgres 13+)', async () => {
    const db = scripted([
      [{ schema: 'ext', version: '1.10', preload: 'auto_explain, pg_stat_statements' }],
      [{ attname: 'total_exec_time' }, { attname: 'mean_exec_time' }],
      [],
    ]);
    await querySlowStatements(db, { orderBy: 'mean', limit: 5 });
    expect(db.sql[2]).toContain('FROM "ext".pg_stat_statements');
    expect(db.sql[2]).toContain('ORDER BY mean_exec_time DESC');
  });

  it('masks password literals in query texts', () => {
    expect(maskQuery(`ALTER ROLE app PASSWORD 'hunter2'`)).toBe(`ALTER ROLE app PASSWORD '***'`);
  });

  it('maps connection errors to messages without the URL or password', () => {
    const ctx = { envName: 'prod', host: 'db.internal:5432', connectTimeoutMs: 3000, statementTimeoutMs: 5000 };
    expect((toUserError(new Error('timeout expired'), ctx) as Error).message).toBe(
      'The `prod` database (db.internal:5432) unreachable after 3s.',
    );
    const auth = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });
    expect((toUserError(auth, ctx) as Error).message).toBe(
      'Cannot log in to the `prod` database (db.internal:5432): password authentication failed for user "app".',
    );
    const timeout = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    expect((toUserError(timeout, ctx) as Error).message).toContain('5s statement timeout');
  });

  it('formats sizes, ages and aligned tables that fit Slack sections', () => {
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(formatAge(425_000)).toBe('7m 05s');
    const blocks = tableSections(
      ['name', 'size'],
      Array.from({ length: 200 }, (_, i) => [`table_${i}_with_a_long_name`, '1 kB']),
      ['l', 'r'],
    );
    expect(blocks.length).toBeGreaterThan(1);
    for (const b of blocks) expect(JSON.stringify(b).length).toBeLessThan(3200);
  });

  it('describes the kill-idle effect by owner', () => {
    const c = (user: string, application: string) => ({
      pid: 1,
      backendStart: '1',
      user,
      application,
      client: null,
      idleMs: 700_000,
    });
    expect(describeKillIdleEffect('prod', '10m', [c('app', 'web'), c('app', 'web'), c('report', 'cron')])).toContain(
      'Ends *3 idle connections* on the *prod* database, idle longer than 10m (oldest 11m 40s): 2 × app / web, 1 × report / cron.',
    );
  });
});
