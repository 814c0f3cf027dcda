/**
 * Defaults taken from the operations guides in shared/seeds: the "Key Metrics"
 * tables (CPU < 70 %, memory < 80 %, DB connections < 80 % of max, free storage,
 * p95 latency, error rate) and the incident severity table (P0 15 min, P1 1 h,
 * P2 4 h, P3 next business day).
 */
export const DEFAULT_THRESHOLDS = {
  cpuPercent: 70,
  memoryPercent: 80,
  dbConnectionsPercent: 80,
  freeStorageGb: 5,
  p95LatencyMs: 500,
  errorRatePercent: 1,
  cacheHitPercent: 80,
} as const;

export const DEFAULT_SEVERITIES = {
  P0: { label: 'Critical — complete outage', respondWithin: '15m' },
  P1: { label: 'High — major feature down', respondWithin: '1h' },
  P2: { label: 'Medium — minor feature down', respondWithin: '4h' },
  P3: { label: 'Low — cosmetic or single user', respondWithin: '1d' },
  P4: { label: 'Informational', respondWithin: '1w' },
} as const;

/** Every outside call gets this unless the config says otherwise (the guides' health checks use 3 s). */
export const DEFAULT_PROBE_TIMEOUT = '3s';
export const DEFAULT_APPROVAL_EXPIRY = '15m';
