import type { Queryable } from '../target-postgres.js';
import type { DatabaseSize, TableSize, TableSizes } from './types.js';
import { USER_NAMESPACE, num, numOrNull } from './sql.js';

// Totals for every table first (one stat per relation), then the breakdown only for the largest few.
const LARGEST = `
  WITH t AS (
    SELECT c.oid, n.nspname AS schema, c.relname AS name, c.reltuples, c.reltoastrelid,
           pg_total_relation_size(c.oid)::float8 AS total_bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'm') AND ${USER_NAMESPACE}
  ), top AS (
    SELECT * FROM t ORDER BY total_bytes DESC, schema, name LIMIT $1
  )
  SELECT schema, name, total_bytes,
         pg_indexes_size(oid)::float8 AS index_bytes,
         CASE WHEN reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(reltoastrelid) END::float8 AS toast_bytes,
         -- reltuples is -1 (Postgres 14+) or 0 with no pages (older) until the first VACUUM or ANALYZE
         CASE WHEN reltuples < 0 THEN NULL ELSE reltuples::float8 END AS row_estimate,
         (SELECT count(*) FROM t)::int AS table_count,
         (SELECT sum(total_bytes) FROM t)::float8 AS all_bytes
  FROM top
  ORDER BY total_bytes DESC, schema, name`;

function toTableSize(r: Record<string, unknown>): TableSize {
  const total = num(r.total_bytes);
  const index = num(r.index_bytes);
  const toast = num(r.toast_bytes);
  return {
    schema: String(r.schema),
    name: String(r.name),
    totalBytes: total,
    indexBytes: index,
    toastBytes: toast,
    tableBytes: Math.max(0, total - index - toast),
    rowEstimate: numOrNull(r.row_estimate),
  };
}

/** The largest user tables with total, table, index and TOAST sizes and the planner's row estimate. */
export async function queryTableSizes(db: Queryable, limit: number): Promise<TableSizes> {
  const { rows } = await db.query(LARGEST, [limit]);
  if (rows.length === 0) return { tables: [], count: 0 };
  return { tables: rows.map(toTableSize), count: rows[0].table_count };
}

/**
 * The database's size on disk, what its tables, indexes and TOAST take, and
 * the largest tables, in one pass: each relation is sized once (with 2,000
 * tables, calling pg_table_size and friends per table costs several times more).
 */
export async function queryDatabaseSize(db: Queryable): Promise<DatabaseSize> {
  const { rows } = await db.query(`
    WITH t AS MATERIALIZED (
      SELECT c.oid, n.nspname AS schema, c.relname AS name, c.reltuples, c.reltoastrelid,
             pg_total_relation_size(c.oid)::float8 AS total_bytes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm') AND ${USER_NAMESPACE}
    ), top AS (
      SELECT * FROM t ORDER BY total_bytes DESC, schema, name LIMIT 5
    )
    SELECT current_database() AS database, pg_database_size(current_database())::float8 AS bytes,
           (SELECT count(*) FROM t)::int AS tables,
           (SELECT coalesce(sum(total_bytes), 0) FROM t)::float8 AS all_bytes,
           (SELECT coalesce(sum(pg_relation_size(x.indexrelid)), 0) FROM pg_index x JOIN t ON t.oid = x.indrelid)::float8 AS index_bytes,
           (SELECT coalesce(sum(pg_total_relation_size(t.reltoastrelid)), 0) FROM t WHERE t.reltoastrelid <> 0)::float8 AS toast_bytes,
           (SELECT coalesce(json_agg(json_build_object(
                     'schema', schema, 'name', name, 'total_bytes', total_bytes,
                     'index_bytes', pg_indexes_size(oid)::float8,
                     'toast_bytes', CASE WHEN reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(reltoastrelid) END::float8,
                     'row_estimate', CASE WHEN reltuples < 0 THEN NULL ELSE reltuples::float8 END)
                   ORDER BY total_bytes DESC, schema, name), '[]'::json) FROM top) AS largest`);
  const r = rows[0];
  const indexBytes = num(r.index_bytes);
  const toastBytes = num(r.toast_bytes);
  return {
    database: r.database,
    bytes: num(r.bytes),
    tableCount: r.tables,
    tableBytes: Math.max(0, num(r.all_bytes) - indexBytes - toastBytes),
    indexBytes,
    toastBytes,
    largest: (r.largest as Record<string, unknown>[]).map(toTableSize),
  };
}
