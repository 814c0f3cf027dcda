import { redactSecrets } from '../redact.js';
import type { Pool } from './pool.js';

export type AuditOutcome =
  | 'ok'
  | 'user_error'
  | 'error'
  | 'queued'
  | 'approval_requested'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'denied'
  | 'help';

export interface AuditEntry {
  actorId: string;
  actorName?: string;
  source: 'slack' | 'cli' | 'system';
  channelId?: string;
  command?: string;
  text: string;
  env?: string;
  outcome: AuditOutcome;
  durationMs?: number;
  errorRef?: string;
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: Date;
}

/** Append-only record of every command: who, where, what, outcome, how long. */
/** The audit trail as the router and the approval gate use it. */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
  recent(limit?: number): Promise<AuditRecord[]>;
}

export class AuditRepository implements AuditTrail {
  constructor(private readonly pool: Pool) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_log (actor_id, actor_name, source, channel_id, command, text, env, outcome, duration_ms, error_ref, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        entry.actorId,
        entry.actorName ?? null,
        entry.source,
        entry.channelId ?? null,
        entry.command ?? null,
        redactSecrets(entry.text),
        entry.env ?? null,
        entry.outcome,
        entry.durationMs ?? null,
        entry.errorRef ?? null,
        JSON.stringify(entry.detail ?? {}),
      ],
    );
  }

  async recent(limit = 50): Promise<AuditRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT id, at, actor_id, actor_name, source, channel_id, command, text, env, outcome, duration_ms, error_ref, detail
         FROM audit_log ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name ?? undefined,
      source: r.source,
      channelId: r.channel_id ?? undefined,
      command: r.command ?? undefined,
      text: r.text,
      env: r.env ?? undefined,
      outcome: r.outcome,
      durationMs: r.duration_ms ?? undefined,
      errorRef: r.error_ref ?? undefined,
      detail: r.detail,
    }));
  }
}
