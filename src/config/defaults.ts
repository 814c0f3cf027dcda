/**
 * Every default opsbot judges by, each with the operations guide it comes from
 * (shared/seeds). docs/defaults.md is the same table for people; keep them in step.
 *
 * Guides: Expo = "Maintenance and Operations Guide" (Expo platform), ESN = "Maintenance
 * Guide" (ESN Event Management), ExpertConnect = "Monitoring and Maintenance Guide",
 * Invoice = "Operations Guide" (Invoice MVP), SoleMate = "Operations Guide – Phase 7".
 * A value no guide gives says "opsbot" and why.
 */

/** A line pair: past `warn` is yellow, past `critical` for `for` is red (a brief crossing is yellow). */
export interface LineDefault {
  warn: number;
  critical: number;
  /** How long the critical line must be crossed before the metric is red, as a duration string. */
  for: string;
}

const TEN_MIN = '10m'; // Expo "CPU > 70% for 10 minutes"; ExpertConnect alarms: period 300 s × 2 evaluation periods
const FIVE_MIN = '5m'; // Invoice "Error rate > 1% (5-minute window)", "CPU usage > 70% for > 5 minutes"

export const DEFAULT_LINES = {
  app: {
    /** warn: Expo "CPU Utilization: < 60%" (Backend); critical: ExpertConnect backend-cpu-high alarm, 80 % for 2×5 min. */
    cpuPercent: { warn: 60, critical: 80, for: TEN_MIN },
    /** warn: Expo "Memory: < 70%"; critical: ESN "Memory Usage … Alert > 90%". */
    memoryPercent: { warn: 70, critical: 90, for: TEN_MIN },
    /** warn: Expo "Response Time: < 500ms", ESN p95 alert "> 500ms", SoleMate "P95 < 500ms"; critical: Expo "Response time > 1 second". */
    p95LatencyMs: { warn: 500, critical: 1000, for: FIVE_MIN },
    /** warn: SoleMate "P99 < 1000ms"; critical: Invoice "P99 latency > 5 seconds". */
    p99LatencyMs: { warn: 1000, critical: 5000, for: FIVE_MIN },
    /** warn: SoleMate "Error Rate: < 0.1%" (Expo: "5xx Errors: Should be 0"); critical: Expo "5xx error rate > 5%". */
    error5xxPercent: { warn: 0.1, critical: 5, for: FIVE_MIN },
    /** warn: Expo "4xx Error Rate: < 1%"; critical: ESN "Error Rate … Alert > 5%" (4xx are never more than yellow). */
    error4xxPercent: { warn: 1, critical: 5, for: FIVE_MIN },
  },
  db: {
    /** warn: Expo "Database (RDS) CPU Utilization: < 70%"; critical: Expo "Database CPU > 90%" (critical alert). */
    cpuPercent: { warn: 70, critical: 90, for: TEN_MIN },
    /** warn: Expo "< 80% of max", ExpertConnect db-connections-high alarm; critical: Invoice "Connection pool > 90% utilized". */
    connectionsPercent: { warn: 80, critical: 90, for: TEN_MIN },
    /** Absolute count — ESN "Database Connections: <50 (target), >80 (alert)". Used when max_connections is unknown. */
    connections: { warn: 50, critical: 80, for: TEN_MIN },
    /** warn: Expo "Free Storage: > 5GB"; critical: Expo "Database storage < 2GB" (critical alert). */
    freeStorageGb: { warn: 5, critical: 2, for: '0s' },
    /** warn: Expo "Read/Write Latency: < 50ms"; critical: opsbot (twice the guide's line; no guide gives one). */
    readLatencyMs: { warn: 50, critical: 100, for: FIVE_MIN },
    writeLatencyMs: { warn: 50, critical: 100, for: FIVE_MIN },
    /** Postgres buffer cache hit ratio: opsbot (Postgres practice: an OLTP database stays above 99 %; no guide gives one). */
    bufferCacheHitPercent: { warn: 99, critical: 90, for: '0s' },
  },
  cache: {
    /** warn: SoleMate "High resource utilization (>80%)" (Warning P2); critical: opsbot (no guide gives a cache CPU line). */
    cpuPercent: { warn: 80, critical: 90, for: TEN_MIN },
    /** warn: SoleMate "High resource utilization (>80%)"; critical: ESN "Memory Usage … Alert > 90%". */
    memoryPercent: { warn: 80, critical: 90, for: TEN_MIN },
    /** Expo "Cache Hit Ratio: > 80%", "Cache hit ratio < 70%" (warning alert) — the only hit-ratio lines in the guides. */
    hitPercent: { warn: 80, critical: 70, for: TEN_MIN },
  },
} as const satisfies Record<string, Record<string, LineDefault>>;

/**
 * The flat keys of the first ops.yml format. Still accepted: each sets the warning line of
 * the metrics it used to govern (see OLD_KEY_TARGETS in thresholds.ts).
 */
export const LEGACY_THRESHOLD_KEYS = [
  'cpuPercent',
  'memoryPercent',
  'dbConnectionsPercent',
  'freeStorageGb',
  'p95LatencyMs',
  'errorRatePercent',
  'cacheHitPercent',
] as const;

/**
 * Backups: ESN "Daily backup at 2 AM" (`0 2 * * *`), ExpertConnect "daily at 2 AM", Invoice "Daily at
 * 2:00 AM UTC", SoleMate "Daily: 2 AM UTC". Margin: opsbot (time for a snapshot to finish), so the
 * newest backup is late once it is older than one period plus the margin, and one missed backup is red.
 */
export const DEFAULT_BACKUP_SCHEDULE = { cron: '0 2 * * *', margin: '2h' } as const;

/**
 * Incident severities. P0–P3 and their targets: ESN "Severity Levels" (P0 Critical 15 minutes, P1 High
 * 1 hour, P2 Medium 4 hours, P3 Low "Next business day"). P4: SoleMate "P4 (Low): Cosmetic issues,
 * enhancement requests" — "24 hours response (business hours)". Targets with `businessHours` are counted
 * in the business calendar (business-calendar.ts): 24 business hours is 24 hours of working time, and
 * "next business day" is the end of the first business day after the declaration's day.
 */
export const DEFAULT_SEVERITIES = {
  P0: { label: 'Critical — complete outage', respondWithin: '15m', businessHours: false, guide: 'ESN' },
  P1: { label: 'High — major feature down', respondWithin: '1h', businessHours: false, guide: 'ESN' },
  P2: { label: 'Medium — minor feature degraded', respondWithin: '4h', businessHours: false, guide: 'ESN' },
  P3: { label: 'Low — cosmetic issue', respondWithin: 'next-business-day', businessHours: true, guide: 'ESN' },
  P4: { label: 'Informational — enhancement request', respondWithin: '24h', businessHours: true, guide: 'SoleMate' },
} as const;

/**
 * The words alarms and webhooks use for severity, mapped onto the P-levels above so that the word and
 * the label agree: ESN's table names P0 "Critical", P1 "High", P2 "Medium", P3 "Low". SoleMate numbers
 * the same words one lower (P1 Critical); teams who follow it override `alerts.severityWords`.
 */
export const DEFAULT_SEVERITY_WORDS = {
  critical: 'P0',
  high: 'P1',
  major: 'P1',
  error: 'P1',
  medium: 'P2',
  warning: 'P2',
  minor: 'P3',
  low: 'P3',
  info: 'P4',
  informational: 'P4',
} as const;

/**
 * Alarm-name patterns for alarms that carry no severity and match no route with one: the guides'
 * alarm names. Expo lists "Database CPU > 90%", "5xx error rate > 5%", "Database storage < 2GB" and
 * "Application health degraded" as Critical Alerts (→ P1: immediate action, not a complete outage);
 * ExpertConnect's `*-cpu-high` / `*-db-connections-high` and Expo's Warning Alerts → P2.
 */
export const DEFAULT_ALARM_SEVERITY_PATTERNS = [
  { alarmName: '*-5xx*', severity: 'P1' },
  { alarmName: '*-health*', severity: 'P1' },
  { alarmName: '*-storage*', severity: 'P1' },
  { alarmName: '*-db-cpu*', severity: 'P1' },
  { alarmName: '*-high', severity: 'P2' },
  { alarmName: '*-latency*', severity: 'P2' },
] as const;

/** Every outside call gets this unless the config says otherwise (the guides' health checks use 3 s). */
export const DEFAULT_PROBE_TIMEOUT = '3s';
/** opsbot: approvals expire after 15 minutes, the P0 response target (ESN). */
export const DEFAULT_APPROVAL_EXPIRY = '15m';
