import { distance } from 'fastest-levenshtein';
import { UserError } from '../../errors.js';
import type { Queryable } from '../target-postgres.js';
import type { TableRef } from './types.js';
import { USER_NAMESPACE, num } from './sql.js';

/** `orders`, `public.orders`, `"Mixed Case"."Orders"`: what a table name may look like before the catalogue is asked. */
// A NUL can never be part of a quoted identifier, so the pattern names it.
export const TABLE_NAME_RE =
  // eslint-disable-next-line no-control-regex
  /^(?:"[^"\u0000]{1,63}"|[A-Za-z_][A-Za-z0-9_$]{0,62})(?:\.(?:"[^"\u0000]{1,63}"|[A-Za-z_][A-Za-z0-9_$]{0,62}))?$/;

/**
 * Looks a typed table name up in the catalogue (to_regclass follows the
 * search_path and identifier quoting, and takes the name as a value, never as
 * SQL). The caller gets the schema and name as stored, to quote as identifiers.
 */
export async function resolveTable(
  db: Queryable,
  typed: string,
  envName: string,
): Promise<TableRef & { bytes: number; dead: number | null }> {
  if (!TABLE_NAME_RE.test(typed))
    throw new UserError(
      `\`${typed}\` is not a table name.`,
      'Write it as `table` or `schema.table` (double-quote mixed-case names).',
    );
  const { rows } = await db.query(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind, pg_total_relation_size(c.oid)::float8 AS bytes, s.n_dead_tup::float8 AS dead
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
     WHERE c.oid = to_regclass($1)`,
    [typed],
  );
  const found = rows[0];
  if (found && ['r', 'm'].includes(found.relkind))
    return {
      schema: found.schema,
      name: found.name,
      bytes: num(found.bytes),
      dead: found.dead === null ? null : num(found.dead),
    };
  if (found)
    throw new UserError(
      `\`${typed}\` is not a table (it is a ${RELKIND[found.relkind as string] ?? 'relation'}); VACUUM works on tables and materialized views.`,
    );
  const bare = (typed.replace(/"/g, '').split('.').pop() ?? typed).toLowerCase();
  const { rows: names } = await db.query(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'm') AND ${USER_NAMESPACE} ORDER BY c.relname LIMIT 5000`,
  );
  // Typos and partial names: close by edit distance, or containing what was typed.
  const similar = names
    .map((r) => ({ ...r, score: r.name.toLowerCase().includes(bare) ? 0 : distance(bare, r.name.toLowerCase()) }))
    .filter((r) => r.score <= Math.max(2, Math.floor(bare.length / 3)))
    .sort((a, b) => a.score - b.score || a.name.length - b.name.length)
    .slice(0, 5);
  const hint = similar.length
    ? `Did you mean ${similar.map((r) => `\`${r.schema === 'public' ? r.name : `${r.schema}.${r.name}`}\``).join(', ')}? See the tables with \`/ops db tables ${envName}\`.`
    : `See the tables with \`/ops db tables ${envName}\`.`;
  throw new UserError(`There is no table \`${typed}\` in the \`${envName}\` database.`, hint);
}

const RELKIND: Record<string, string> = {
  i: 'index',
  S: 'sequence',
  v: 'view',
  c: 'composite type',
  f: 'foreign table',
  p: 'partitioned table (vacuum its partitions)',
  I: 'partitioned index',
};

/** Every user table and materialized view with its size and dead tuples, for a database-wide VACUUM done table by table. */
export async function listVacuumTargets(db: Queryable): Promise<(TableRef & { bytes: number; dead: number | null })[]> {
  const { rows } = await db.query(
    `SELECT n.nspname AS schema, c.relname AS name, pg_total_relation_size(c.oid)::float8 AS bytes, s.n_dead_tup::float8 AS dead
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
     WHERE c.relkind IN ('r', 'm') AND ${USER_NAMESPACE}
     ORDER BY n.nspname, c.relname`,
  );
  return rows.map((r) => ({
    schema: r.schema,
    name: r.name,
    bytes: num(r.bytes),
    dead: r.dead === null ? null : num(r.dead),
  }));
}
