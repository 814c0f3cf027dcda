import type { QueryResultRow } from 'pg';
import pg from 'pg';
import type { TableCheck } from '../store/backup-verifications.js';

export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: QueryResultRow[] }>;
}

export const DEFAULT_LARGEST_TABLES = 5;
export const DEFAULT_TOLERANCE_PERCENT = 5;

/** "orders" or "sales.orders" → schema and name (public by default). */
export function splitTableName(name: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return dot === -1 ? { schema: 'public', table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

function quoted(name: string): string {
  const { schema, table } = splitTableName(name);
  return `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`;
}

/** The largest ordinary tables by total size: where a truncated restore would show first. */
export async function largestTables(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY pg_total_relation_size(c.oid) DESC, n.nspname, c.relname
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => (r.schema === 'public' ? r.name : `${r.schema}.${r.name}`));
}

/** Exact counts; a table that does not exist counts as null (the restore lost it). */
export async function countRows(
  db: Queryable,
  tables: string[],
  signal?: AbortSignal,
): Promise<Map<string, number | null>> {
  const counts = new Map<string, number | null>();
  for (const table of tables) {
    if (signal?.aborted) throw signal.reason;
    try {
      const { rows } = await db.query(`SELECT count(*)::bigint AS n FROM ${quoted(table)}`);
      counts.set(table, Number(rows[0].n));
    } catch (err) {
      if ((err as { code?: string }).code !== '42P01') throw err;
      counts.set(table, null);
    }
  }
  return counts;
}

/**
 * The live database kept changing since the backup was taken, so counts may
 * differ by up to `tolerancePercent` of the live count; a missing table or an
 * empty restore of a non-empty table always fails.
 */
export function compareCounts(
  tables: string[],
  restored: Map<string, number | null>,
  live: Map<string, number | null> | undefined,
  tolerancePercent: number,
): TableCheck[] {
  return tables.map((table) => {
    const r = restored.get(table) ?? null;
    const l = live ? (live.get(table) ?? null) : null;
    if (r === null) return { table, restored: null, live: l, ok: false, note: 'missing from the restored copy' };
    if (!live) return { table, restored: r, live: null, ok: true, note: 'no live database to compare with' };
    if (l === null) return { table, restored: r, live: null, ok: true, note: 'not in the live database any more' };
    if (l > 0 && r === 0) return { table, restored: r, live: l, ok: false, note: 'restored empty' };
    const allowed = (l * tolerancePercent) / 100;
    const diff = r - l;
    return Math.abs(diff) <= allowed
      ? { table, restored: r, live: l, ok: true }
      : {
          table,
          restored: r,
          live: l,
          ok: false,
          note: `${diff > 0 ? '+' : ''}${diff} rows (more than ${tolerancePercent}% off)`,
        };
  });
}
