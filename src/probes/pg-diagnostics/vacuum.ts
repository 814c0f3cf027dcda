import type { DedicatedSession, TargetDatabaseAccess } from '../target-postgres.js';
import type { TableRef, VacuumReport, VacuumedTable } from './types.js';
import { qualified } from './sql.js';

export interface VacuumTarget extends TableRef {
  bytes: number;
  dead: number | null;
}

export interface VacuumOptions {
  signal: AbortSignal;
  progress(percent: number, note: string): Promise<void>;
  pollMs?: number;
}

// Where each pg_stat_progress_vacuum phase sits within one table's vacuum, as a fraction.
const PHASE_START: Record<string, number> = {
  initializing: 0,
  'scanning heap': 0,
  'vacuuming indexes': 0.7,
  'vacuuming heap': 0.75,
  'cleaning up indexes': 0.9,
  'truncating heap': 0.95,
  'performing final cleanup': 0.97,
};

/**
 * VACUUM (ANALYZE) table by table on a dedicated connection, reporting
 * progress from pg_stat_progress_vacuum weighted by table size. SKIP_LOCKED
 * (Postgres 12+) passes over a table someone holds a conflicting lock on
 * instead of queueing behind it. On abort, the running VACUUM is cancelled
 * with pg_cancel_backend from another connection.
 */
export async function vacuumTables(
  targets: TargetDatabaseAccess,
  envName: string,
  tables: VacuumTarget[],
  scope: VacuumReport['scope'],
  options: VacuumOptions,
): Promise<VacuumReport> {
  const totalBytes = tables.reduce((sum, t) => sum + Math.max(t.bytes, 8192), 0);
  let doneBytes = 0;
  const done: VacuumedTable[] = [];
  await targets.session(envName, async (session) => {
    const cancel = () =>
      void targets
        .execute(envName, (db) => db.query('SELECT pg_cancel_backend($1)', [session.pid]))
        .catch(() => undefined);
    options.signal.addEventListener('abort', cancel, { once: true });
    const skipped = new Map<string, string>();
    session.onNotice((message) => {
      const match = /skipping (?:vacuum|analyze) of "([^"]+)"\s*--- (.+)/i.exec(message);
      if (match) skipped.set(match[1], match[2]);
    });
    try {
      for (const table of tables) {
        if (options.signal.aborted) break;
        const weight = Math.max(table.bytes, 8192);
        const started = Date.now();
        const label = `${table.schema}.${table.name}`;
        await options.progress((doneBytes / totalBytes) * 100, `vacuuming ${label}`);
        await runWithProgress(
          targets,
          envName,
          session,
          `VACUUM (ANALYZE, SKIP_LOCKED) ${qualified(table.schema, table.name)}`,
          options,
          (fraction, phase) =>
            options.progress(((doneBytes + fraction * weight) / totalBytes) * 100, `${label}: ${phase}`),
        );
        doneBytes += weight;
        done.push({
          schema: table.schema,
          name: table.name,
          deadBefore: table.dead,
          deadAfter: null,
          durationMs: Date.now() - started,
          skipped: skipped.get(table.name),
        });
      }
      // Dead tuples after, in one read, to show what the vacuum reclaimed.
      if (done.length) {
        const { rows } = await session.query(
          `SELECT n.nspname AS schema, c.relname AS name, s.n_dead_tup::float8 AS dead
           FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
          [done.map((t) => t.schema), done.map((t) => t.name)],
        );
        const after = new Map(rows.map((r) => [`${r.schema}.${r.name}`, Number(r.dead)]));
        for (const t of done) t.deadAfter = after.get(`${t.schema}.${t.name}`) ?? null;
      }
    } finally {
      options.signal.removeEventListener('abort', cancel);
    }
  });
  return { scope, tables: done };
}

/** Starts the statement, then polls its progress from the pool until it finishes. */
async function runWithProgress(
  targets: TargetDatabaseAccess,
  envName: string,
  session: DedicatedSession,
  sql: string,
  options: VacuumOptions,
  report: (fraction: number, phase: string) => Promise<void>,
): Promise<void> {
  let finished = false;
  const running = session.query(sql).finally(() => {
    finished = true;
  });
  running.catch(() => undefined);
  const pollMs = options.pollMs ?? 500;
  while (!finished) {
    await Promise.race([running.catch(() => undefined), sleep(pollMs)]);
    if (finished || options.signal.aborted) break;
    const { rows } = await targets
      .readOnly(envName, (db) =>
        db.query(
          `SELECT phase, heap_blks_total::float8 AS total, heap_blks_scanned::float8 AS scanned, heap_blks_vacuumed::float8 AS vacuumed FROM pg_stat_progress_vacuum WHERE pid = $1`,
          [session.pid],
        ),
      )
      .catch(() => ({ rows: [] as Record<string, unknown>[] }));
    const row = rows[0];
    if (!row) continue;
    const phase = String(row.phase);
    const total = Number(row.total) || 1;
    let fraction = PHASE_START[phase] ?? 0.5;
    if (phase === 'scanning heap') fraction = 0.7 * (Number(row.scanned) / total);
    if (phase === 'vacuuming heap') fraction = 0.75 + 0.15 * (Number(row.vacuumed) / total);
    await report(Math.min(1, fraction), phase);
  }
  await running;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
