import type { Queryable } from '../target-postgres.js';
import type { ConnectionsSnapshot } from './types.js';
import { msSince, num, sequentially } from './sql.js';

/** Client connections on the whole server (max_connections is a server-wide limit), grouped by user and application. */
export async function queryConnections(db: Queryable): Promise<ConnectionsSnapshot> {
  const [settings, groups] = await sequentially([
    () =>
      db.query(
        `SELECT current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved`,
      ),
    () =>
      db.query(`
      SELECT coalesce(usename, '?') AS "user",
             coalesce(nullif(application_name, ''), '(none)') AS application,
             coalesce(datname, '?') AS database,
             count(*)::int AS total,
             count(*) FILTER (WHERE state = 'active')::int AS active,
             count(*) FILTER (WHERE state = 'idle')::int AS idle,
             count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS idle_in_transaction,
             count(*) FILTER (WHERE state IS NULL OR state NOT IN ('active', 'idle') AND state NOT LIKE 'idle in transaction%')::int AS other,
             max(${msSince('state_change')}) FILTER (WHERE state LIKE 'idle in transaction%') AS oldest_idle_in_tx_ms
      FROM pg_stat_activity
      WHERE backend_type = 'client backend'
      GROUP BY 1, 2, 3
      ORDER BY total DESC, 1, 2`),
  ]);
  const byState = new Map<string, number>();
  let oldest: number | null = null;
  const rows = groups.rows.map((r) => {
    for (const [state, count] of [
      ['active', r.active],
      ['idle', r.idle],
      ['idle in transaction', r.idle_in_transaction],
      ['other', r.other],
    ] as const) {
      if (count > 0) byState.set(state, (byState.get(state) ?? 0) + count);
    }
    if (r.oldest_idle_in_tx_ms !== null) oldest = Math.max(oldest ?? 0, num(r.oldest_idle_in_tx_ms));
    return {
      user: r.user,
      application: r.application,
      database: r.database,
      total: r.total,
      active: r.active,
      idle: r.idle,
      idleInTransaction: r.idle_in_transaction,
    };
  });
  return {
    maxConnections: settings.rows[0].max,
    reserved: settings.rows[0].reserved,
    total: rows.reduce((sum, g) => sum + g.total, 0),
    byState: [...byState.entries()].map(([state, count]) => ({ state, count })).sort((a, b) => b.count - a.count),
    groups: rows,
    oldestIdleInTransactionMs: oldest,
  };
}
