import type { Queryable } from '../target-postgres.js';
import type { VacuumStatsReport } from './types.js';
import { num, sequentially } from './sql.js';

/** Per-table vacuum and analyze history and dead tuples, the tables most in need first. */
export async function queryVacuumStats(db: Queryable, limit: number): Promise<VacuumStatsReport> {
  const [settings, tables] = await sequentially([
    () =>
      db.query(
        `SELECT current_setting('autovacuum') = 'on' AS autovacuum,
              current_setting('autovacuum_vacuum_scale_factor')::float8 AS scale_factor,
              current_setting('autovacuum_vacuum_threshold')::float8 AS threshold`,
      ),
    () =>
      db.query(
        `SELECT s.schemaname AS schema, s.relname AS name, s.n_live_tup::float8 AS live, s.n_dead_tup::float8 AS dead,
              s.n_mod_since_analyze::float8 AS modified, s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
              NOT coalesce('autovacuum_enabled=false' = ANY (c.reloptions), false) AS autovacuum_enabled
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
       ORDER BY s.n_dead_tup DESC, s.n_mod_since_analyze DESC, s.schemaname, s.relname
       LIMIT $1`,
        [limit],
      ),
  ]);
  const s = settings.rows[0];
  return {
    autovacuumOn: s.autovacuum,
    scaleFactor: num(s.scale_factor),
    threshold: num(s.threshold),
    tables: tables.rows.map((r) => ({
      schema: r.schema,
      name: r.name,
      live: num(r.live),
      dead: num(r.dead),
      modifiedSinceAnalyze: num(r.modified),
      lastVacuum: r.last_vacuum,
      lastAutovacuum: r.last_autovacuum,
      lastAnalyze: r.last_analyze,
      lastAutoanalyze: r.last_autoanalyze,
      autovacuumEnabled: r.autovacuum_enabled,
    })),
  };
}
