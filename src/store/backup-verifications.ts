import type { QueryResultRow } from 'pg';
import type { Pool } from './pool.js';

/** One row-count comparison between the restored copy and the live database. */
export interface TableCheck {
  table: string;
  restored: number | null;
  live: number | null;
  ok: boolean;
  note?: string;
}

export interface BackupVerificationEntry {
  env: string;
  method: 'logical' | 'snapshot';
  source: string;
  ok: boolean;
  summary: string;
  checks: TableCheck[];
  cleanup?: string;
  startedAt: Date;
  durationMs: number;
  jobId?: string;
  requestedBy?: string;
}

export interface BackupVerification extends BackupVerificationEntry {
  id: number;
  finishedAt: Date;
}

/** Results of /ops backup verify, so checklists and status can say when a backup was last proven to restore. */
/** Results of /ops backup verify: the last verified backup per environment. */
export interface BackupVerifications {
  record(entry: BackupVerificationEntry): Promise<BackupVerification>;
  latest(env: string, opts?: { okOnly?: boolean }): Promise<BackupVerification | undefined>;
}

export class BackupVerificationRepository implements BackupVerifications {
  constructor(private readonly pool: Pool) {}

  async record(entry: BackupVerificationEntry): Promise<BackupVerification> {
    const { rows } = await this.pool.query(
      `INSERT INTO backup_verifications (env, method, source, ok, summary, checks, cleanup, started_at, duration_ms, job_id, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        entry.env,
        entry.method,
        entry.source,
        entry.ok,
        entry.summary,
        JSON.stringify(entry.checks),
        entry.cleanup ?? null,
        entry.startedAt,
        entry.durationMs,
        entry.jobId ?? null,
        entry.requestedBy ?? null,
      ],
    );
    return toVerification(rows[0]);
  }

  /** The newest verification of an environment; with okOnly, the last one that passed ("last verified backup"). */
  async latest(env: string, { okOnly = false } = {}): Promise<BackupVerification | undefined> {
    const { rows } = await this.pool.query(
      `SELECT * FROM backup_verifications WHERE env = $1 ${okOnly ? 'AND ok' : ''} ORDER BY finished_at DESC, id DESC LIMIT 1`,
      [env],
    );
    return rows[0] ? toVerification(rows[0]) : undefined;
  }
}

function toVerification(r: QueryResultRow): BackupVerification {
  return {
    id: Number(r.id),
    env: r.env,
    method: r.method,
    source: r.source,
    ok: r.ok,
    summary: r.summary,
    checks: r.checks ?? [],
    cleanup: r.cleanup ?? undefined,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    jobId: r.job_id ?? undefined,
    requestedBy: r.requested_by ?? undefined,
  };
}
