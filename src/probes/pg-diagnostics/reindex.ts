import { UserError } from '../../errors.js';
import type { Queryable, TargetDatabaseAccess } from '../target-postgres.js';
import { TABLE_NAME_RE } from './tables.js';
import { num, quoteIdent, qualified } from './sql.js';

/** What `/ops db reindex` rebuilds: one table's indexes, one index, or (blocking only) the whole database. */
export interface ReindexTarget {
  kind: 'table' | 'index' | 'database';
  schema: string;
  name: string;
  /** Bytes of the indexes to rebuild. */
  bytes: number;
  indexCount: number;
}

/** The decision, in one place: which statement, whether it blocks, and what the approval card says. */
export interface ReindexPlan {
  target: ReindexTarget;
  sql: string;
  blocking: boolean;
  effect: string;
}

/** "The lock", as the refusal and the approval card explain it (Postgres docs, REINDEX). */
export const BLOCKING_LOCK =
  'plain REINDEX locks each table against writes (SHARE lock) while its indexes are rebuilt, and any read that would use an index being rebuilt waits (ACCESS EXCLUSIVE on the index)';

/** Looks the typed name up: a table (or materialized view), an index, or the word `database`. */
export async function resolveReindexTarget(db: Queryable, typed: string): Promise<ReindexTarget> {
  if (typed.toLowerCase() === 'database') {
    const { rows } = await db.query(
      `SELECT current_database() AS name, coalesce(sum(pg_relation_size(i.indexrelid)), 0)::float8 AS bytes, count(*)::int AS n
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE ns.nspname NOT LIKE 'pg\\_%' AND ns.nspname <> 'information_schema'`,
    );
    return { kind: 'database', schema: '', name: rows[0].name, bytes: num(rows[0].bytes), indexCount: rows[0].n };
  }
  if (!TABLE_NAME_RE.test(typed)) {
    throw new UserError(
      `\`${typed}\` is not a table or index name.`,
      'Write `table`, `schema.table` or an index name (double-quote mixed-case names), or `database`.',
    );
  }
  const { rows } = await db.query(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind,
            CASE WHEN c.relkind = 'i' THEN pg_relation_size(c.oid) ELSE pg_indexes_size(c.oid) END::float8 AS bytes,
            CASE WHEN c.relkind = 'i' THEN 1 ELSE (SELECT count(*) FROM pg_index x WHERE x.indrelid = c.oid) END::int AS n
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
    [typed],
  );
  const found = rows[0];
  if (!found || !['r', 'm', 'i'].includes(found.relkind)) {
    throw new UserError(
      `No table or index \`${typed}\` in this database.`,
      'List them with `/ops db tables` and `/ops db indexes`; write `schema.name` outside the search path.',
    );
  }
  if (found.relkind !== 'i' && found.n === 0) throw new UserError(`\`${typed}\` has no indexes to rebuild.`);
  return {
    kind: found.relkind === 'i' ? 'index' : 'table',
    schema: found.schema,
    name: found.name,
    bytes: num(found.bytes),
    indexCount: found.n,
  };
}

/**
 * The one place the reindex decision is made. CONCURRENTLY unless `blocking`;
 * the whole database only with `blocking` (REINDEX DATABASE CONCURRENTLY skips
 * the catalogues and holds a long transaction per index: the guides rebuild
 * table by table instead).
 */
export function planReindex(target: ReindexTarget, env: string, blocking: boolean): ReindexPlan {
  if (target.kind === 'database' && !blocking) {
    throw new UserError(
      `Refusing to REINDEX DATABASE \`${target.name}\` on ${env} while it is live: ${BLOCKING_LOCK}, table after table, for all ${target.indexCount} indexes.`,
      'Rebuild one table at a time without blocking: `/ops db reindex <table>` (REINDEX CONCURRENTLY). In a maintenance window, `/ops db reindex database --blocking` asks for approval.',
    );
  }
  const what =
    target.kind === 'database'
      ? `DATABASE ${quoteIdent(target.name)}`
      : `${target.kind === 'index' ? 'INDEX' : 'TABLE'} ${qualified(target.schema, target.name)}`;
  const label =
    target.kind === 'database' ? `database ${target.name}` : `${target.kind} ${target.schema}.${target.name}`;
  return {
    target,
    sql: blocking ? `REINDEX ${what}` : `REINDEX (CONCURRENTLY) ${what}`,
    blocking,
    effect: blocking
      ? `Rebuilds ${target.indexCount} index${target.indexCount === 1 ? '' : 'es'} of ${label} on ${env} with plain REINDEX: ${BLOCKING_LOCK}. Cancelling the job cancels the statement.`
      : `Rebuilds ${target.indexCount} index${target.indexCount === 1 ? '' : 'es'} of ${label} on ${env} with REINDEX CONCURRENTLY: reads and writes go on; a cancelled run leaves invalid \`_ccnew\` indexes to drop.`,
  };
}

export interface ReindexOptions {
  signal: AbortSignal;
  progress(percent: number, note: string): Promise<void>;
  pollMs?: number;
}

export interface ReindexReport {
  durationMs: number;
  cancelled: boolean;
  /** Indexes left invalid by a cancelled or failed concurrent rebuild, as schema.name (name ends in _ccnew). */
  leftInvalid: string[];
  bytesBefore: number;
  bytesAfter: number | null;
}

/**
 * Runs the plan on a dedicated connection (no statement timeout; the job's
 * limit bounds it), reporting progress from pg_stat_progress_create_index
 * (Postgres 12+). On abort the statement is cancelled from another connection.
 */
export async function runReindex(
  targets: TargetDatabaseAccess,
  env: string,
  plan: ReindexPlan,
  options: ReindexOptions,
): Promise<ReindexReport> {
  const started = Date.now();
  let cancelled = false;
  await targets.session(env, async (session) => {
    const cancel = () => {
      cancelled = true;
      void targets.execute(env, (db) => db.query('SELECT pg_cancel_backend($1)', [session.pid])).catch(() => undefined);
    };
    options.signal.addEventListener('abort', cancel, { once: true });
    let finished = false;
    const running = session.query(plan.sql).finally(() => (finished = true));
    running.catch(() => undefined);
    try {
      while (!finished) {
        await Promise.race([running.catch(() => undefined), sleep(options.pollMs ?? 500)]);
        if (finished || options.signal.aborted) break;
        const { rows } = await targets
          .readOnly(env, (db) =>
            db.query(
              `SELECT phase, blocks_total::float8 AS bt, blocks_done::float8 AS bd, tuples_total::float8 AS tt,
                      tuples_done::float8 AS td, (SELECT relname FROM pg_class WHERE oid = p.index_relid) AS index
               FROM pg_stat_progress_create_index p WHERE pid = $1`,
              [session.pid],
            ),
          )
          .catch(() => ({ rows: [] as Record<string, unknown>[] }));
        const row = rows[0];
        if (!row) continue;
        const blocks = Number(row.bt) > 0 ? Number(row.bd) / Number(row.bt) : undefined;
        const tuples = Number(row.tt) > 0 ? Number(row.td) / Number(row.tt) : undefined;
        const fraction = blocks ?? tuples ?? 0;
        await options.progress(Math.min(99, fraction * 100), `${row.index ?? plan.target.name}: ${String(row.phase)}`);
      }
      await running;
    } catch (err) {
      if (!cancelled) throw err;
    } finally {
      options.signal.removeEventListener('abort', cancel);
    }
  });
  const after = await targets.readOnly(env, async (db) => {
    const invalid = await db.query(
      `SELECT n.nspname AS schema, c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE NOT x.indisvalid AND c.relname LIKE '%\\_ccnew%'`,
    );
    const size =
      plan.target.kind === 'database'
        ? null
        : await db.query(
            plan.target.kind === 'index'
              ? 'SELECT pg_relation_size(to_regclass($1))::float8 AS b'
              : 'SELECT pg_indexes_size(to_regclass($1))::float8 AS b',
            [qualified(plan.target.schema, plan.target.name)],
          );
    return {
      invalid: invalid.rows.map((r) => `${String(r.schema)}.${String(r.relname)}`),
      bytes: size ? num(size.rows[0]?.b) : null,
    };
  });
  return {
    durationMs: Date.now() - started,
    cancelled,
    leftInvalid: after.invalid,
    bytesBefore: plan.target.bytes,
    bytesAfter: after.bytes,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
