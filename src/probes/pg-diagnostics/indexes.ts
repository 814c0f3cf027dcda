import type { Queryable } from '../target-postgres.js';
import type { IndexUsageReport } from './types.js';
import { num } from './sql.js';

/** The guides' "rarely used" line: fewer than 50 scans since the statistics were reset. */
export const RARELY_USED_SCANS = 50;

/**
 * Unused and rarely used indexes, largest first among the least scanned.
 * Primary-key and unique indexes are left out: they enforce constraints even
 * when no query reads them. Invalid indexes (a failed CREATE INDEX
 * CONCURRENTLY) are always listed: they cost writes and serve nothing.
 */
export async function queryIndexUsage(
  db: Queryable,
  options: { limit: number; rareBelow?: number },
): Promise<IndexUsageReport> {
  const rareBelow = options.rareBelow ?? RARELY_USED_SCANS;
  const { rows } = await db.query(
    `WITH candidates AS (
       SELECT s.schemaname AS schema, s.relname AS "table", s.indexrelname AS index, s.idx_scan::float8 AS scans,
              pg_relation_size(s.indexrelid)::float8 AS bytes, i.indisvalid AS valid
       FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
       WHERE (s.idx_scan < $1 AND NOT i.indisunique AND NOT i.indisprimary) OR NOT i.indisvalid
     )
     SELECT *, count(*) OVER ()::int AS candidates, sum(bytes) OVER ()::float8 AS all_bytes,
            (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS stats_reset
     FROM candidates
     ORDER BY scans, bytes DESC, schema, index
     LIMIT $2`,
    [rareBelow, options.limit],
  );
  const statsSince: Date | null =
    rows.length > 0
      ? (rows[0].stats_reset ?? null)
      : ((await db.query(`SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()`)).rows[0]
          ?.stats_reset ?? null);
  return {
    rareBelow,
    statsSince,
    totalCandidates: rows[0]?.candidates ?? 0,
    totalBytes: num(rows[0]?.all_bytes),
    indexes: rows.map((r) => ({
      schema: r.schema,
      table: r.table,
      index: r.index,
      scans: num(r.scans),
      bytes: num(r.bytes),
      valid: r.valid,
    })),
  };
}
