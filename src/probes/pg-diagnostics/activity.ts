import type { Queryable } from '../target-postgres.js';
import type { BackendActivity, BlockedQuery } from './types.js';
import { maskQuery, msSince, numOrNull } from './sql.js';

// An active query is as old as its statement; an idle-in-transaction session as old as its transaction (it holds locks that long).
const DURATION = msSince(`coalesce(CASE WHEN state = 'active' THEN query_start ELSE xact_start END, state_change)`);

export function toActivity(r: Record<string, unknown>, prefix = ''): BackendActivity {
  return {
    pid: Number(r[`${prefix}pid`]),
    user: (r[`${prefix}user`] as string | null) ?? null,
    application: (r[`${prefix}application`] as string | null) || '(none)',
    client: (r[`${prefix}client`] as string | null) ?? null,
    state: (r[`${prefix}state`] as string | null) ?? null,
    waitEventType: (r[`${prefix}wait_event_type`] as string | null) ?? null,
    waitEvent: (r[`${prefix}wait_event`] as string | null) ?? null,
    durationMs: numOrNull(r[`${prefix}duration_ms`]),
    query: maskQuery(r[`${prefix}query`] as string | null),
  };
}

/**
 * Sessions of this database doing something (not idle), longest first; with
 * minDurationMs, only those running longer (the guides' long-running queries).
 */
export async function queryActivity(
  db: Queryable,
  options: { minDurationMs?: number; limit?: number } = {},
): Promise<BackendActivity[]> {
  const { rows } = await db.query(
    `SELECT pid, usename AS "user", application_name AS application, host(client_addr) AS client, state,
            wait_event_type, wait_event, ${DURATION} AS duration_ms, left(query, 1000) AS query
     FROM pg_stat_activity
     WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
       AND state IS DISTINCT FROM 'idle'
       AND ($1::float8 IS NULL OR ${DURATION} > $1::float8)
     ORDER BY duration_ms DESC NULLS LAST
     LIMIT $2`,
    [options.minDurationMs ?? null, options.limit ?? 50],
  );
  return rows.map((r) => toActivity(r));
}

/** Backends waiting on a lock, each with a backend that blocks it (pg_blocking_pids). */
export async function queryBlocked(db: Queryable, limit = 50): Promise<BlockedQuery[]> {
  const duration = (alias: string) =>
    msSince(
      `coalesce(CASE WHEN ${alias}.state = 'active' THEN ${alias}.query_start ELSE ${alias}.xact_start END, ${alias}.state_change)`,
    );
  const columns = (alias: string, prefix: string) =>
    `${alias}.pid AS ${prefix}pid, ${alias}.usename AS ${prefix}user, ${alias}.application_name AS ${prefix}application, host(${alias}.client_addr) AS ${prefix}client,
     ${alias}.state AS ${prefix}state, ${alias}.wait_event_type AS ${prefix}wait_event_type, ${alias}.wait_event AS ${prefix}wait_event,
     ${duration(alias)} AS ${prefix}duration_ms, left(${alias}.query, 1000) AS ${prefix}query`;
  const { rows } = await db.query(
    `SELECT ${columns('w', 'w_')}, ${columns('b', 'b_')},
            (SELECT string_agg(DISTINCT l.locktype || CASE WHEN l.relation IS NOT NULL THEN ':' || l.relation::regclass::text ELSE '' END, ', ')
             FROM pg_locks l WHERE l.pid = w.pid AND NOT l.granted) AS waiting_for
     FROM pg_stat_activity w
     CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocker(pid)
     JOIN pg_stat_activity b ON b.pid = blocker.pid
     WHERE w.datname = current_database() AND w.wait_event_type = 'Lock' AND w.pid <> pg_backend_pid()
     ORDER BY w_duration_ms DESC NULLS LAST, w.pid, b.pid
     LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    blocked: toActivity(r, 'w_'),
    blocking: toActivity(r, 'b_'),
    waitingFor: r.waiting_for ?? null,
  }));
}
