import type { QueryResultRow } from 'pg';
import { redactSecrets } from '../redact.js';
import type { Pool, PoolClient } from './pool.js';

export type TimelineKind =
  | 'declared'
  | 'acknowledged'
  | 'owner'
  | 'severity'
  | 'update'
  | 'mitigated'
  | 'note'
  | 'command'
  | 'approval'
  | 'alert'
  | 'job'
  | 'pin'
  | 'escalated'
  | 'reminder'
  | 'resolved';

export interface TimelineEntry {
  id: number;
  incidentId: number;
  at: Date;
  kind: TimelineKind;
  actorId?: string;
  text: string;
  detail: Record<string, unknown>;
}

export interface NewTimelineEntry {
  kind: TimelineKind;
  actorId?: string;
  text: string;
  detail?: Record<string, unknown>;
  at?: Date;
  /** Entries with the same key for one incident are recorded once (a re-pinned message, a retried event). */
  dedupeKey?: string;
}

function toEntry(r: QueryResultRow): TimelineEntry {
  return {
    id: Number(r.id),
    incidentId: r.incident_id,
    at: r.at,
    kind: r.kind,
    actorId: r.actor_id ?? undefined,
    text: r.text,
    detail: r.detail ?? {},
  };
}

/** The append-only timeline of each incident. Secrets are redacted on the way in. */
export class TimelineRepository {
  constructor(private readonly pool: Pool) {}

  /** Appends one entry; false when its dedupe key was already recorded. Pass a client to join a transaction. */
  async add(incidentId: number, entry: NewTimelineEntry, client: Pool | PoolClient = this.pool): Promise<boolean> {
    const { rowCount } = await client.query(
      `INSERT INTO incident_timeline (incident_id, at, kind, actor_id, text, detail, dedupe_key)
       VALUES ($1, coalesce($2, now()), $3, $4, $5, $6, $7)
       ON CONFLICT (incident_id, dedupe_key) DO NOTHING`,
      [
        incidentId,
        entry.at ?? null,
        entry.kind,
        entry.actorId ?? null,
        redactSecrets(entry.text),
        JSON.stringify(entry.detail ?? {}),
        entry.dedupeKey ?? null,
      ],
    );
    return (rowCount ?? 0) > 0;
  }

  async list(incidentId: number): Promise<TimelineEntry[]> {
    const { rows } = await this.pool.query('SELECT * FROM incident_timeline WHERE incident_id = $1 ORDER BY at, id', [
      incidentId,
    ]);
    return rows.map(toEntry);
  }
}
