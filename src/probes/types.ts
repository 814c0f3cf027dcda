export interface ProbeResult {
  name: string;
  kind: 'http' | 'postgres' | 'redis';
  /** What was checked, with secrets removed (URL without password). */
  target: string;
  ok: boolean;
  latencyMs: number;
  /** On success, a short fact ("HTTP 200", "PostgreSQL 15.4"); on failure, the reason. */
  detail: string;
}
