import type { Queryable } from '../target-postgres.js';
import type { SlowQueriesResult } from './types.js';
import { maskQuery, num, numOrNull, quoteIdent } from './sql.js';

/**
 * The costliest statements of this database from pg_stat_statements. The
 * extension renamed its timing columns in 1.8 (Postgres 13): total_time and
 * mean_time became total_exec_time and mean_exec_time, so the columns present
 * in the view decide which to read.
 */
export async function querySlowStatements(
  db: Queryable,
  options: { orderBy: 'mean' | 'total'; limit: number },
): Promise<SlowQueriesResult> {
  const { rows: ext } = await db.query(
    `SELECT n.nspname AS schema, e.extversion AS version,
            current_setting('shared_preload_libraries') AS preload
     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_stat_statements'`,
  );
  if (ext.length === 0) {
    const { rows } = await db.query(
      `SELECT current_setting('shared_preload_libraries') AS preload,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') AS available`,
    );
    return { installed: false, loaded: isPreloaded(rows[0].preload), available: rows[0].available };
  }
  const { schema, version, preload } = ext[0];
  // Selecting from the view without the library loaded is an error; say how to load it instead.
  if (!isPreloaded(preload)) return { installed: false, loaded: false, available: true };

  const view = `${quoteIdent(schema)}.pg_stat_statements`;
  const { rows: cols } = await db.query(
    `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [view],
  );
  const names = new Set(cols.map((c) => c.attname as string));
  const columns = names.has('total_exec_time') ? 'exec_time' : 'time';
  const total = columns === 'exec_time' ? 'total_exec_time' : 'total_time';
  const mean = columns === 'exec_time' ? 'mean_exec_time' : 'mean_time';
  const order = options.orderBy === 'total' ? total : mean;

  const { rows } = await db.query(
    `SELECT queryid::text AS query_id, left(query, 2000) AS query, calls::float8 AS calls,
            ${total}::float8 AS total_ms, ${mean}::float8 AS mean_ms, rows::float8 AS rows,
            CASE WHEN shared_blks_hit + shared_blks_read > 0 THEN shared_blks_hit::float8 / (shared_blks_hit + shared_blks_read) END AS hit_ratio,
            sum(${total}) OVER ()::float8 AS all_ms
     FROM ${view}
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY ${order} DESC NULLS LAST
     LIMIT $1`,
    [options.limit],
  );
  return {
    installed: true,
    version,
    orderBy: options.orderBy,
    columns,
    totalMs: rows.length ? num(rows[0].all_ms) : 0,
    statements: rows.map((r) => ({
      queryId: r.query_id,
      query: maskQuery(r.query),
      calls: num(r.calls),
      totalMs: num(r.total_ms),
      meanMs: num(r.mean_ms),
      rows: num(r.rows),
      hitRatio: numOrNull(r.hit_ratio),
    })),
  };
}

function isPreloaded(setting: string): boolean {
  return setting
    .split(',')
    .map((s) => s.trim().replace(/^"|"$/g, ''))
    .includes('pg_stat_statements');
}
