import { UserError } from '../../errors.js';
import type { Queryable } from '../target-postgres.js';
import type { BackendDetail, IdleConnection, TerminationReport } from './types.js';
import { toActivity } from './activity.js';
import { msSince, num } from './sql.js';

/**
 * Which connections opsbot may ever end: client backends of this database,
 * never its own (this connection, or its pools, named opsbot*), never RDS's
 * management user.
 */
const ENDABLE = `backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()
  AND coalesce(application_name, '') NOT LIKE 'opsbot%' AND usename IS DISTINCT FROM 'rdsadmin'`;
const IDLE_OLDER = `${ENDABLE} AND state = 'idle' AND state_change < now() - $1::float8 * interval '1 millisecond'`;

/** backend_start as exact integer microseconds, comparable across connections whatever their TimeZone. */
const BACKEND_START = `(extract(epoch FROM backend_start) * 1000000)::bigint::text`;

const IDLE_COLUMNS = `pid, ${BACKEND_START} AS backend_start, usename AS "user", coalesce(nullif(application_name, ''), '(none)') AS application, host(client_addr) AS client, ${msSince('state_change')} AS idle_ms`;

function toIdle(r: Record<string, unknown>): IdleConnection {
  return {
    pid: Number(r.pid),
    backendStart: String(r.backend_start),
    user: (r.user as string | null) ?? null,
    application: String(r.application),
    client: (r.client as string | null) ?? null,
    idleMs: num(r.idle_ms),
  };
}

/** The idle connections older than the bound that kill-idle would end, oldest first. */
export async function listIdleConnections(db: Queryable, olderThanMs: number): Promise<IdleConnection[]> {
  const { rows } = await db.query(
    `SELECT ${IDLE_COLUMNS} FROM pg_stat_activity WHERE ${IDLE_OLDER} ORDER BY state_change, pid`,
    [olderThanMs],
  );
  return rows.map(toIdle);
}

/**
 * Ends idle connections older than the bound. Each candidate is re-checked in
 * the same statement that ends it (autocommit: a fresh snapshot each time), so
 * a connection that started a query since the list was read is left alone.
 */
export async function terminateIdleConnections(db: Queryable, olderThanMs: number): Promise<TerminationReport> {
  const report: TerminationReport = { ended: [], skipped: [], failed: [] };
  for (const candidate of await listIdleConnections(db, olderThanMs)) {
    let rows: { ended: boolean }[];
    try {
      ({ rows } = await db.query(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE ${IDLE_OLDER} AND pid = $2`,
        [olderThanMs, candidate.pid],
      ));
    } catch (err) {
      // Not allowed to signal that role (e.g. a superuser's session): report it, end the others.
      if ((err as { code?: string }).code !== '42501') throw err;
      rows = [{ ended: false }];
    }
    if (rows.length === 0) report.skipped.push(candidate);
    else if (rows[0].ended) report.ended.push(candidate);
    else report.failed.push(candidate);
  }
  return report;
}

/** Who a backend is and what it runs, for the approval card of `db kill`. */
export async function describeBackend(db: Queryable, pid: number): Promise<BackendDetail | undefined> {
  const { rows } = await db.query(
    `SELECT pid, usename AS "user", application_name AS application, host(client_addr) AS client, state, wait_event_type, wait_event,
            ${msSince(`coalesce(CASE WHEN state = 'active' THEN query_start ELSE xact_start END, state_change)`)} AS duration_ms,
            left(query, 1000) AS query, backend_type, ${BACKEND_START} AS backend_start, datname AS database,
            datname IS NOT DISTINCT FROM current_database() AS same_database, pid = pg_backend_pid() AS is_self
     FROM pg_stat_activity WHERE pid = $1`,
    [pid],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    ...toActivity(r),
    backendStart: String(r.backend_start),
    backendType: r.backend_type,
    database: r.database,
    sameDatabase: r.same_database,
    isSelf: r.is_self,
  };
}

/** Refuses what opsbot must never end, with the reason; returns the backend otherwise. */
export function checkEndable(backend: BackendDetail | undefined, pid: number, envName: string): BackendDetail {
  if (!backend)
    throw new UserError(
      `No connection has pid ${pid} on the \`${envName}\` database server (it may have ended already).`,
      `See the current ones with \`/ops db activity ${envName}\`.`,
    );
  if (backend.isSelf || backend.application.startsWith('opsbot'))
    throw new UserError(`pid ${pid} is opsbot's own connection; opsbot does not end itself.`);
  if (backend.backendType !== 'client backend')
    throw new UserError(
      `pid ${pid} is a Postgres ${backend.backendType ?? 'server'} process, not a client connection; opsbot only ends client connections.`,
    );
  if (!backend.sameDatabase)
    throw new UserError(
      `pid ${pid} is connected to another database (\`${backend.database}\`), not the \`${envName}\` one.`,
    );
  if (backend.user === 'rdsadmin')
    throw new UserError(`pid ${pid} belongs to rdsadmin (AWS's management connection); it cannot be ended.`);
  return backend;
}

/** Ends one backend after checking, in the same statement, that it is still one opsbot may end. */
export async function terminateBackend(db: Queryable, pid: number): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE ${ENDABLE} AND pid = $1`,
    [pid],
  );
  return rows.length > 0 && rows[0].ended === true;
}

/**
 * Ends exactly one connection: this pid with this backend_start (so a pid
 * reused by a new backend is never ended), still one opsbot may end and, with
 * `idleOlderMs`, still idle that long. Checked in the statement that ends it.
 */
export async function terminateExact(
  db: Queryable,
  pid: number,
  backendStart: string,
  idleOlderMs?: number,
): Promise<'ended' | 'failed' | 'changed'> {
  const idle =
    idleOlderMs === undefined
      ? ''
      : ` AND state = 'idle' AND state_change < now() - $3::float8 * interval '1 millisecond'`;
  const params: unknown[] = [pid, backendStart];
  if (idleOlderMs !== undefined) params.push(idleOlderMs);
  let rows: { ended: boolean }[];
  try {
    ({ rows } = await db.query(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE ${ENDABLE} AND pid = $1 AND ${BACKEND_START} = $2${idle}`,
      params,
    ));
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    return 'failed';
  }
  if (rows.length === 0) return 'changed';
  return rows[0].ended ? 'ended' : 'failed';
}

/** Why a planned connection was not ended: it closed, its pid now belongs to another backend, or it is busy. */
export async function whyChanged(db: Queryable, pid: number, backendStart: string): Promise<string> {
  const { rows } = await db.query(
    `SELECT ${BACKEND_START} AS backend_start, state FROM pg_stat_activity WHERE pid = $1`,
    [pid],
  );
  if (!rows[0]) return `pid ${pid} has closed`;
  if (String(rows[0].backend_start) !== backendStart) return `pid ${pid} now belongs to another connection`;
  return `pid ${pid} is ${rows[0].state ?? 'busy'} now, not idle`;
}

/** The idle connections counted at request time, ended one by one if each is still the same backend and still idle. */
export async function terminatePlanned(
  db: Queryable,
  planned: IdleConnection[],
  olderThanMs: number,
): Promise<TerminationReport> {
  const report: TerminationReport = { ended: [], skipped: [], failed: [], why: {} };
  for (const c of planned) {
    const result = await terminateExact(db, c.pid, c.backendStart, olderThanMs);
    if (result === 'ended') report.ended.push(c);
    else if (result === 'failed') report.failed.push(c);
    else {
      report.skipped.push(c);
      report.why![c.pid] = await whyChanged(db, c.pid, c.backendStart);
    }
  }
  return report;
}
