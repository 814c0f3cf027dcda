/**
 * What the target-Postgres diagnostics return. Plain data without imports, so
 * the pure views in views/db-*.ts can share these types without any I/O.
 * Sizes are bytes, durations milliseconds; null where Postgres does not know.
 */

export interface ConnectionGroup {
  user: string;
  application: string;
  database: string;
  total: number;
  active: number;
  idle: number;
  idleInTransaction: number;
}

export interface ConnectionsSnapshot {
  maxConnections: number;
  /** Slots only superusers may use; ordinary users hit the limit at max - reserved. */
  reserved: number;
  total: number;
  byState: { state: string; count: number }[];
  groups: ConnectionGroup[];
  oldestIdleInTransactionMs: number | null;
}

export interface BackendActivity {
  pid: number;
  user: string | null;
  application: string;
  client: string | null;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  durationMs: number | null;
  query: string;
}

export interface BlockedQuery {
  blocked: BackendActivity;
  blocking: BackendActivity;
  /** The lock the blocked backend waits for, e.g. "transactionid" or "relation:orders". */
  waitingFor: string | null;
}

export type SlowQueriesResult =
  | {
      installed: true;
      version: string;
      orderBy: 'mean' | 'total';
      columns: 'exec_time' | 'time';
      statements: StatementStats[];
      totalMs: number;
    }
  | { installed: false; loaded: boolean; available: boolean; createdInOtherDatabase?: boolean };

export interface StatementStats {
  queryId: string | null;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  hitRatio: number | null;
}

export interface TableSize {
  schema: string;
  name: string;
  totalBytes: number;
  tableBytes: number;
  indexBytes: number;
  toastBytes: number;
  /** pg_class.reltuples, or null when the table was never analyzed. */
  rowEstimate: number | null;
}

export interface TableSizes {
  tables: TableSize[];
  /** How many user tables there are in all (the list is the largest few). */
  count: number;
}

export interface DatabaseSize {
  database: string;
  bytes: number;
  tableCount: number;
  tableBytes: number;
  indexBytes: number;
  toastBytes: number;
  largest: TableSize[];
}

export interface IndexUsage {
  schema: string;
  table: string;
  index: string;
  scans: number;
  bytes: number;
  valid: boolean;
}

export interface IndexUsageReport {
  indexes: IndexUsage[];
  /** Below this many scans an index counts as rarely used. */
  rareBelow: number;
  statsSince: Date | null;
  totalCandidates: number;
  totalBytes: number;
}

export interface TableVacuumStats {
  schema: string;
  name: string;
  live: number;
  dead: number;
  modifiedSinceAnalyze: number;
  lastVacuum: Date | null;
  lastAutovacuum: Date | null;
  lastAnalyze: Date | null;
  lastAutoanalyze: Date | null;
  autovacuumEnabled: boolean;
}

export interface VacuumStatsReport {
  autovacuumOn: boolean;
  scaleFactor: number;
  threshold: number;
  tables: TableVacuumStats[];
}

export interface BloatEstimate {
  kind: 'table' | 'index';
  schema: string;
  table: string;
  /** The index name for index bloat. */
  index: string | null;
  bytes: number;
  bloatBytes: number;
  bloatPercent: number;
}

export interface CacheStats {
  /** Whole database, from pg_stat_database; null before any block was read. */
  databaseRatio: number | null;
  tableRatio: number | null;
  indexRatio: number | null;
  statsSince: Date | null;
  /** Tables that read the most blocks from disk. */
  mostRead: { schema: string; name: string; read: number; ratio: number | null }[];
}

export interface TableRef {
  schema: string;
  name: string;
}

export interface IdleConnection {
  pid: number;
  /** When the backend started, microseconds since the epoch: with the pid it names one connection (pids are reused). */
  backendStart: string;
  user: string | null;
  application: string;
  client: string | null;
  idleMs: number;
}

export interface TerminationReport {
  ended: IdleConnection[];
  /** Candidates that were no longer idle (or gone) when opsbot got to them. */
  skipped: IdleConnection[];
  /** pg_terminate_backend answered false (not allowed, or already gone). */
  failed: IdleConnection[];
  /** Why each skipped one was left alone, by pid ("closed", "pid reused by another connection", "busy again"). */
  why?: Record<number, string>;
}

export interface BackendDetail extends BackendActivity {
  /** Microseconds since the epoch; see IdleConnection.backendStart. */
  backendStart: string;
  backendType: string | null;
  database: string | null;
  sameDatabase: boolean;
  isSelf: boolean;
}

export interface VacuumedTable extends TableRef {
  deadBefore: number | null;
  deadAfter: number | null;
  durationMs: number;
  skipped?: string;
}

export interface VacuumReport {
  scope: 'table' | 'database';
  tables: VacuumedTable[];
}
