import type { Queryable } from '../target-postgres.js';
import { USER_NAMESPACE, num, numOrNull } from './sql.js';

export interface MissingIndexCandidate {
  schema: string;
  name: string;
  bytes: number;
  liveRows: number | null;
  seqScans: number;
  /** Rows read by sequential scans, in all. */
  seqRowsRead: number;
  indexScans: number;
  /** A column pg_stats marks as selective and scattered that no index starts with; null when none is. */
  suggestedColumn: string | null;
}

export interface MissingIndexReport {
  tables: MissingIndexCandidate[];
  /** How many tables matched before the limit. */
  total: number;
  minRows: number;
  minSeqScans: number;
  statsSince: Date | null;
}

export interface MissingIndexOptions {
  limit?: number;
  /** A table this small is cheap to scan; default 10,000 rows. */
  minRows?: number;
  /** Fewer scans than this is a one-off report, not a pattern; default 50. */
  minSeqScans?: number;
}

/**
 * Tables read mostly by sequential scans over many rows (the ESN maintenance
 * guide's "find missing indexes"): many seq scans, each over a table of at
 * least `minRows`, and fewer index scans than seq scans. Largest first. The
 * suggested column follows the guide's pg_stats test (n_distinct > 10,
 * |correlation| < 0.1: selective values scattered over the table), preferring
 * the most distinct column that does not already lead an index.
 */
export async function queryMissingIndexes(
  db: Queryable,
  options: MissingIndexOptions = {},
): Promise<MissingIndexReport> {
  const limit = options.limit ?? 20;
  const minRows = options.minRows ?? 10_000;
  const minSeqScans = options.minSeqScans ?? 50;
  const { rows } = await db.query(
    `WITH candidates AS MATERIALIZED (
       SELECT s.relid, n.nspname AS schema, c.relname AS name, s.n_live_tup::float8 AS live_rows,
              s.seq_scan::float8 AS seq_scans, s.seq_tup_read::float8 AS seq_rows,
              coalesce(s.idx_scan, 0)::float8 AS idx_scans, pg_relation_size(c.oid)::float8 AS bytes
       FROM pg_stat_user_tables s
       JOIN pg_class c ON c.oid = s.relid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE ${USER_NAMESPACE}
         AND s.seq_scan >= $2::bigint
         AND greatest(s.n_live_tup::float8, c.reltuples::float8) >= $3::float8
         AND s.seq_tup_read::float8 / greatest(s.seq_scan, 1) >= $3::float8 / 2
         AND coalesce(s.idx_scan, 0) < s.seq_scan
     ), ranked AS (
       SELECT *, count(*) OVER () AS total FROM candidates ORDER BY bytes DESC, seq_rows DESC LIMIT $1
     )
     SELECT r.schema, r.name, r.live_rows, r.seq_scans, r.seq_rows, r.idx_scans, r.bytes, r.total::int AS total,
            (SELECT st.attname FROM pg_stats st
             WHERE st.schemaname = r.schema AND st.tablename = r.name
               AND (st.n_distinct > 10 OR st.n_distinct < -0.01)
               AND abs(coalesce(st.correlation, 0)) < 0.1
               AND NOT EXISTS (
                 SELECT 1 FROM pg_index x JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
                 WHERE x.indrelid = r.relid AND a.attname = st.attname)
             ORDER BY CASE WHEN st.n_distinct < 0 THEN -st.n_distinct * r.live_rows ELSE st.n_distinct END DESC, st.attname
             LIMIT 1) AS suggested,
            (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS stats_reset
     FROM ranked r
     ORDER BY r.bytes DESC, r.seq_rows DESC`,
    [limit, minSeqScans, minRows],
  );
  const statsSince: Date | null =
    rows.length > 0
      ? (rows[0].stats_reset ?? null)
      : ((await db.query(`SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()`)).rows[0]
          ?.stats_reset ?? null);
  return {
    tables: rows.map((r) => ({
      schema: String(r.schema),
      name: String(r.name),
      bytes: num(r.bytes),
      liveRows: numOrNull(r.live_rows),
      seqScans: num(r.seq_scans),
      seqRowsRead: num(r.seq_rows),
      indexScans: num(r.idx_scans),
      suggestedColumn: r.suggested ?? null,
    })),
    total: rows[0]?.total ?? 0,
    minRows,
    minSeqScans,
    statsSince,
  };
}
