import type { QueryResultRow } from 'pg';
import type { Pool } from './pool.js';
import type { TableCheck } from './backup-verifications.js';

export interface DrTestEntry {
  env: string;
  method: 'snapshot' | 'point-in-time';
  /** The snapshot restored, or the ISO time of a point-in-time restore. */
  source: string;
  tempInstance?: string;
  passed: boolean;
  summary: string;
  /** Restore requested → instance available; undefined when the test failed before. */
  rtoMs?: number;
  /** Age of the restored data when the test started. */
  rpoMs?: number;
  rtoTargetMs: number;
  rpoTargetMs: number;
  checks: TableCheck[];
  cleanup?: string;
  startedAt: Date;
  finishedAt: Date;
  jobId?: string;
  requestedBy?: string;
}

export interface DrTest extends DrTestEntry {
  id: number;
}

/** Results of /ops dr test: the last one per environment for status and checklists. */
export interface DrTests {
  record(entry: DrTestEntry): Promise<DrTest>;
  latest(env: string): Promise<DrTest | undefined>;
}

export class DrTestRepository implements DrTests {
  constructor(private readonly pool: Pool) {}

  async record(e: DrTestEntry): Promise<DrTest> {
    const { rows } = await this.pool.query(
      `INSERT INTO dr_tests (env, method, source, temp_instance, passed, summary, rto_ms, rpo_ms, rto_target_ms,
                             rpo_target_ms, checks, cleanup, started_at, finished_at, job_id, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING *`,
      [
        e.env,
        e.method,
        e.source,
        e.tempInstance ?? null,
        e.passed,
        e.summary,
        e.rtoMs ?? null,
        e.rpoMs ?? null,
        e.rtoTargetMs,
        e.rpoTargetMs,
        JSON.stringify(e.checks),
        e.cleanup ?? null,
        e.startedAt,
        e.finishedAt,
        e.jobId ?? null,
        e.requestedBy ?? null,
      ],
    );
    return toDrTest(rows[0]);
  }

  async latest(env: string): Promise<DrTest | undefined> {
    const { rows } = await this.pool.query(
      'SELECT * FROM dr_tests WHERE env = $1 ORDER BY finished_at DESC, id DESC LIMIT 1',
      [env],
    );
    return rows[0] ? toDrTest(rows[0]) : undefined;
  }
}

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

function toDrTest(r: QueryResultRow): DrTest {
  return {
    id: Number(r.id),
    env: r.env,
    method: r.method,
    source: r.source,
    tempInstance: r.temp_instance ?? undefined,
    passed: r.passed,
    summary: r.summary,
    rtoMs: num(r.rto_ms),
    rpoMs: num(r.rpo_ms),
    rtoTargetMs: Number(r.rto_target_ms),
    rpoTargetMs: Number(r.rpo_target_ms),
    checks: r.checks ?? [],
    cleanup: r.cleanup ?? undefined,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    jobId: r.job_id ?? undefined,
    requestedBy: r.requested_by ?? undefined,
  };
}
