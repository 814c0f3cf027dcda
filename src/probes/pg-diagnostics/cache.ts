import type { Queryable } from '../target-postgres.js';
import type { CacheStats } from './types.js';
import { num, numOrNull, sequentially } from './sql.js';

/** Share of block reads served from shared buffers, for the database, its tables and its indexes. */
export async function queryCacheStats(db: Queryable): Promise<CacheStats> {
  const ratio = (hit: string, read: string) =>
    `CASE WHEN ${hit} + ${read} > 0 THEN ${hit}::float8 / (${hit} + ${read}) END`;
  const [database, tables, mostRead] = await sequentially([
    () =>
      db.query(
        `SELECT ${ratio('blks_hit', 'blks_read')} AS ratio, stats_reset FROM pg_stat_database WHERE datname = current_database()`,
      ),
    () =>
      db.query(
        `SELECT ${ratio('sum(heap_blks_hit)', 'sum(heap_blks_read)')} AS table_ratio,
              ${ratio('sum(coalesce(idx_blks_hit, 0))', 'sum(coalesce(idx_blks_read, 0))')} AS index_ratio
       FROM pg_statio_user_tables`,
      ),
    () =>
      db.query(
        `SELECT schemaname AS schema, relname AS name, heap_blks_read::float8 AS read, ${ratio('heap_blks_hit', 'heap_blks_read')} AS ratio
       FROM pg_statio_user_tables WHERE heap_blks_read > 0
       ORDER BY heap_blks_read DESC, schemaname, relname LIMIT 5`,
      ),
  ]);
  return {
    databaseRatio: numOrNull(database.rows[0]?.ratio),
    statsSince: database.rows[0]?.stats_reset ?? null,
    tableRatio: numOrNull(tables.rows[0]?.table_ratio),
    indexRatio: numOrNull(tables.rows[0]?.index_ratio),
    mostRead: mostRead.rows.map((r) => ({
      schema: r.schema,
      name: r.name,
      read: num(r.read),
      ratio: numOrNull(r.ratio),
    })),
  };
}
