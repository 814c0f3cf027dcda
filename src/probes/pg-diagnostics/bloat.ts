import type { Queryable } from '../target-postgres.js';
import type { BloatEstimate } from './types.js';
import { USER_NAMESPACE, num, sequentially } from './sql.js';

const FILLFACTOR = (relation: string, fallback: number) =>
  `coalesce((SELECT substring(o FROM 'fillfactor=(\\d+)')::float8 FROM unnest(${relation}.reloptions) o WHERE o LIKE 'fillfactor=%'), ${fallback})`;

/**
 * Estimated bloat without pgstattuple: the pages a relation has (relpages)
 * against the pages its live rows need, sized from the planner statistics
 * (pg_stats.avg_width, null_frac). Like every such estimate it needs a recent
 * ANALYZE and is rough for TOAST-heavy rows; tables never analyzed are skipped.
 */
const TABLE_BLOAT = `
  -- Read once: pg_stats is a view with a privilege check per column, too slow to join per relation.
  WITH st AS MATERIALIZED (
    SELECT schemaname, tablename, attname, null_frac, avg_width
    FROM pg_stats
    WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema' AND NOT inherited
  ), widths AS (
    SELECT s.schemaname, s.tablename, sum((1 - s.null_frac) * s.avg_width)::float8 AS data_width,
           bool_or(s.null_frac > 0) AS has_nulls, count(*)::int AS ncols
    FROM st s
    GROUP BY 1, 2
  ), sized AS (
    SELECT n.nspname AS schema, c.relname AS name, c.relpages::float8 AS pages, c.reltuples::float8 AS tuples,
           current_setting('block_size')::float8 AS bs, ${FILLFACTOR('c', 100)} AS fillfactor,
           -- heap tuple: 23-byte header and null bitmap aligned to 8, the data aligned to 8, a 4-byte line pointer
           (ceil((23 + CASE WHEN w.has_nulls THEN ceil(w.ncols / 8.0) ELSE 0 END) / 8.0) * 8 + ceil(w.data_width / 8.0) * 8 + 4)::float8 AS tuple_bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN widths w ON w.schemaname = n.nspname AND w.tablename = c.relname
    WHERE c.relkind = 'r' AND c.relpages > 0 AND c.reltuples >= 0 AND ${USER_NAMESPACE}
  )
  SELECT schema, name AS "table", NULL AS index, pages * bs AS bytes,
         greatest(pages - ceil(tuples * tuple_bytes / ((bs - 24) * fillfactor / 100)), 0) * bs AS bloat_bytes
  FROM sized
  ORDER BY bloat_bytes DESC, schema, name
  LIMIT $1`;

/** B-tree indexes only (the common case); expression indexes have no column statistics to size their keys. */
const INDEX_BLOAT = `
  -- Read once: pg_stats is a view with a privilege check per column, too slow to join per relation.
  WITH st AS MATERIALIZED (
    SELECT schemaname, tablename, attname, null_frac, avg_width
    FROM pg_stats
    WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema' AND NOT inherited
  ), idx AS MATERIALIZED (
    SELECT ci.oid, n.nspname AS schema, ct.relname AS table_name, ci.relname AS index_name, i.indrelid,
           ci.relpages::float8 AS pages, ci.reltuples::float8 AS tuples, i.indkey::int2[] AS keys,
           current_setting('block_size')::float8 AS bs, ${FILLFACTOR('ci', 90)} AS fillfactor
    FROM pg_index i
    JOIN pg_class ci ON ci.oid = i.indexrelid
    JOIN pg_class ct ON ct.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = ci.relnamespace
    JOIN pg_am am ON am.oid = ci.relam
    WHERE am.amname = 'btree' AND i.indisvalid AND ci.relpages > 1 AND ci.reltuples >= 0 AND ${USER_NAMESPACE}
      AND NOT (0 = ANY (i.indkey::int2[]))
  ), widths AS (
    -- Grouped by every idx column, so nothing joins back to idx (a nested loop over two CTEs).
    SELECT idx.schema, idx.table_name, idx.index_name, idx.pages, idx.tuples, idx.bs, idx.fillfactor,
           sum((1 - s.null_frac) * s.avg_width)::float8 AS width, count(s.attname) = count(*) AS complete
    FROM idx CROSS JOIN LATERAL unnest(idx.keys) AS k(attnum)
    JOIN pg_attribute a ON a.attrelid = idx.indrelid AND a.attnum = k.attnum
    LEFT JOIN st s ON s.schemaname = idx.schema AND s.tablename = idx.table_name AND s.attname = a.attname
    GROUP BY idx.oid, idx.schema, idx.table_name, idx.index_name, idx.pages, idx.tuples, idx.bs, idx.fillfactor
  )
  -- leaf tuple: 8-byte header, keys aligned to 8, 4-byte line pointer; pages keep 24 + 16 bytes of header and special space; one metapage
  SELECT schema, table_name AS "table", index_name AS index, pages * bs AS bytes,
         greatest(pages - 1 - ceil(tuples * (8 + ceil(width / 8.0) * 8 + 4) / ((bs - 40) * fillfactor / 100)), 0) * bs AS bloat_bytes
  FROM widths
  WHERE complete
  ORDER BY bloat_bytes DESC, schema, index_name
  LIMIT $1`;

export async function queryBloat(db: Queryable, limit: number): Promise<BloatEstimate[]> {
  const [tables, indexes] = await sequentially([
    () => db.query(TABLE_BLOAT, [limit]),
    () => db.query(INDEX_BLOAT, [limit]),
  ]);
  const toEstimate =
    (kind: BloatEstimate['kind']) =>
    (r: Record<string, unknown>): BloatEstimate => {
      const bytes = num(r.bytes);
      const bloatBytes = num(r.bloat_bytes);
      return {
        kind,
        schema: String(r.schema),
        table: String(r.table),
        index: (r.index as string | null) ?? null,
        bytes,
        bloatBytes,
        bloatPercent: bytes > 0 ? (bloatBytes / bytes) * 100 : 0,
      };
    };
  return [...tables.rows.map(toEstimate('table')), ...indexes.rows.map(toEstimate('index'))].filter(
    (b) => b.bloatBytes > 0,
  );
}
