import type { QueryResultRow } from 'pg';
import type { Pool } from './pool.js';
import type { Plan } from '../core/plan.js';

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'executed' | 'failed';

export interface ApprovalCardRef {
  channel: string;
  ts: string;
}

export interface Approval {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  command: string;
  commandText: string;
  env: string;
  risk: string;
  effect: string;
  requestedBy: string;
  channelId?: string;
  approverRoles: string[];
  requiredCount: number;
  status: ApprovalStatus;
  approvedBy: string[];
  /** When each of approvedBy clicked, in the same order. */
  approvedAt: Date[];
  deniedBy?: string;
  decidedAt?: Date;
  cards: ApprovalCardRef[];
  outcome?: string;
  jobId?: string;
  finishedAt?: Date;
  /** The plan made at request time: what Approve runs. Absent only on rows from before plans were stored. */
  plan?: Plan;
}

export type NewApproval = Pick<
  Approval,
  | 'command'
  | 'commandText'
  | 'env'
  | 'risk'
  | 'effect'
  | 'requestedBy'
  | 'channelId'
  | 'approverRoles'
  | 'requiredCount'
> & { expiresInMs: number; plan: Plan };

/** What an approve click did; only `approved` lets the caller execute. */
export type ApproveResult =
  { kind: 'approved' | 'recorded'; approval: Approval } | { kind: 'refused'; approval: Approval | undefined };

function toApproval(r: QueryResultRow): Approval {
  return {
    id: r.id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    command: r.command,
    commandText: r.command_text,
    env: r.env,
    risk: r.risk,
    effect: r.effect,
    requestedBy: r.requested_by,
    channelId: r.channel_id ?? undefined,
    approverRoles: r.approver_roles,
    requiredCount: r.required_count,
    status: r.status,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at ?? [],
    deniedBy: r.denied_by ?? undefined,
    decidedAt: r.decided_at ?? undefined,
    cards: r.cards,
    outcome: r.outcome ?? undefined,
    jobId: r.job_id ?? undefined,
    finishedAt: r.finished_at ?? undefined,
    plan: r.plan ?? undefined,
  };
}

/** Approvals in Postgres. Each transition is one conditional UPDATE … RETURNING: whoever gets the row back won. */
export class ApprovalRepository {
  constructor(private readonly pool: Pool) {}

  async create(input: NewApproval): Promise<Approval> {
    const { rows } = await this.pool.query(
      `INSERT INTO approvals (expires_at, command, command_text, env, risk, effect, requested_by, channel_id, approver_roles, required_count, plan)
       VALUES (now() + make_interval(secs => $1::double precision / 1000), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        input.expiresInMs,
        input.command,
        input.commandText,
        input.env,
        input.risk,
        input.effect,
        input.requestedBy,
        input.channelId ?? null,
        input.approverRoles,
        input.requiredCount,
        JSON.stringify(input.plan),
      ],
    );
    return toApproval(rows[0]);
  }

  async get(id: string): Promise<Approval | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await this.pool.query('SELECT * FROM approvals WHERE id = $1', [id]);
    return rows[0] ? toApproval(rows[0]) : undefined;
  }

  async addCard(id: string, card: ApprovalCardRef): Promise<void> {
    await this.pool.query(`UPDATE approvals SET cards = cards || $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify([card]),
    ]);
  }

  /**
   * Adds one approval. The row changes only while it is pending, unexpired, the
   * approver is not the requester and has not approved already; the status
   * turns `approved` exactly when the last required approval lands.
   */
  async approve(id: string, userId: string): Promise<ApproveResult> {
    const { rows } = await this.pool.query(
      `UPDATE approvals
          SET approved_by = array_append(approved_by, $2),
              approved_at = array_append(approved_at, now()),
              status = CASE WHEN cardinality(approved_by) + 1 >= required_count THEN 'approved' ELSE 'pending' END,
              decided_at = CASE WHEN cardinality(approved_by) + 1 >= required_count THEN now() ELSE decided_at END
        WHERE id = $1 AND status = 'pending' AND expires_at > now()
          AND requested_by <> $2 AND NOT ($2 = ANY (approved_by))
        RETURNING *`,
      [id, userId],
    );
    if (rows[0]) {
      const approval = toApproval(rows[0]);
      return { kind: approval.status === 'approved' ? 'approved' : 'recorded', approval };
    }
    return { kind: 'refused', approval: await this.get(id) };
  }

  /** Denies (or, when the requester clicks, withdraws) a pending request; who may do so is checked by the caller. */
  async deny(id: string, userId: string): Promise<Approval | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE approvals SET status = 'denied', denied_by = $2, decided_at = now()
        WHERE id = $1 AND status = 'pending' RETURNING *`,
      [id, userId],
    );
    return rows[0] ? toApproval(rows[0]) : undefined;
  }

  /** Expires a request whose time is up; a no-op (undefined) if it was decided first. */
  async expire(id: string): Promise<Approval | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE approvals SET status = 'expired', decided_at = now() WHERE id = $1 AND status = 'pending' AND expires_at <= now() RETURNING *`,
      [id],
    );
    return rows[0] ? toApproval(rows[0]) : undefined;
  }

  /** The approved plan started as a job: the card says "running" until the job settles it with finish. */
  async running(id: string, jobId: string): Promise<Approval | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE approvals SET job_id = $2, outcome = $3 WHERE id = $1 AND status = 'approved' RETURNING *`,
      [id, jobId, `running as job ${jobId}`],
    );
    return rows[0] ? toApproval(rows[0]) : undefined;
  }

  async finish(
    id: string,
    status: 'executed' | 'failed',
    outcome: string,
    jobId?: string,
  ): Promise<Approval | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE approvals SET status = $2, outcome = $3, job_id = coalesce($4, job_id), finished_at = now() WHERE id = $1 AND status = 'approved' RETURNING *`,
      [id, status, outcome, jobId ?? null],
    );
    return rows[0] ? toApproval(rows[0]) : undefined;
  }

  async pending(): Promise<Approval[]> {
    const { rows } = await this.pool.query(`SELECT * FROM approvals WHERE status = 'pending' ORDER BY created_at`);
    return rows.map(toApproval);
  }
}
