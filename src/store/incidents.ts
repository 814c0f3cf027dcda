import type { QueryResultRow } from 'pg';
import { inTransaction, type Pool, type PoolClient } from './pool.js';
import type { NewTimelineEntry, TimelineRepository } from './timeline.js';

import type { Severity } from '../core/severity.js';

export type { Severity } from '../core/severity.js';
export type IncidentStatus = 'open' | 'acknowledged' | 'mitigated' | 'resolved';

export interface MessageRef {
  channel: string;
  ts: string;
  permalink?: string;
}

export interface Incident {
  id: number;
  title: string;
  description?: string;
  severity: Severity;
  env?: string;
  status: IncidentStatus;
  declaredBy: string;
  declaredAt: Date;
  ownerId?: string;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  mitigatedAt?: Date;
  resolvedAt?: Date;
  resolvedBy?: string;
  summary?: string;
  channelId?: string;
  channelName?: string;
  originChannelId?: string;
  card?: MessageRef;
  announcement?: MessageRef;
  lastUpdateAt?: Date;
  escalatedAt?: Date;
  ackTimerSeq: number;
  updateTimerSeq: number;
  remindersSent: number;
}

export interface NewIncident {
  declareKey: string;
  title: string;
  description?: string;
  severity: Severity;
  env?: string;
  declaredBy: string;
  ownerId?: string;
  originChannelId?: string;
}

/** Column changes of one transition, by column name. */
export type IncidentChanges = Record<string, unknown>;

/** What a transition decided: the changes plus the timeline entry, or a reason it does not apply. */
export type TransitionPlan = { changes: IncidentChanges; entry?: NewTimelineEntry } | { refuse: string };

const COLUMNS = new Set([
  'title',
  'description',
  'severity',
  'env',
  'status',
  'owner_id',
  'acknowledged_at',
  'acknowledged_by',
  'mitigated_at',
  'resolved_at',
  'resolved_by',
  'summary',
  'channel_id',
  'channel_name',
  'card',
  'announcement',
  'last_update_at',
  'escalated_at',
  'ack_timer_seq',
  'update_timer_seq',
  'reminders_sent',
]);
/** A change whose value is this marker is set to the database's now(), so all replicas share one clock. */
export const NOW = Symbol('now');

const opt = <T>(v: T | null): T | undefined => v ?? undefined;

function toIncident(r: QueryResultRow): Incident {
  return {
    id: r.id,
    title: r.title,
    description: opt(r.description),
    severity: r.severity,
    env: opt(r.env),
    status: r.status,
    declaredBy: r.declared_by,
    declaredAt: r.declared_at,
    ownerId: opt(r.owner_id),
    acknowledgedAt: opt(r.acknowledged_at),
    acknowledgedBy: opt(r.acknowledged_by),
    mitigatedAt: opt(r.mitigated_at),
    resolvedAt: opt(r.resolved_at),
    resolvedBy: opt(r.resolved_by),
    summary: opt(r.summary),
    channelId: opt(r.channel_id),
    channelName: opt(r.channel_name),
    originChannelId: opt(r.origin_channel_id),
    card: opt(r.card),
    announcement: opt(r.announcement),
    lastUpdateAt: opt(r.last_update_at),
    escalatedAt: opt(r.escalated_at),
    ackTimerSeq: r.ack_timer_seq,
    updateTimerSeq: r.update_timer_seq,
    remindersSent: r.reminders_sent,
  };
}

/**
 * Incidents in Postgres. Every state change runs in one transaction that locks
 * the row, decides from its current state, updates it and appends the timeline
 * entry: concurrent clicks and replicas see one order of events.
 */
export class IncidentRepository {
  constructor(
    private readonly pool: Pool,
    private readonly timeline: TimelineRepository,
  ) {}

  /** Inserts the incident and its "declared" entry; undefined when the key was declared before (a retry, another replica). */
  async create(input: NewIncident, entry: NewTimelineEntry): Promise<Incident | undefined> {
    return this.inTransaction(async (client) => {
      const { rows } = await client.query(
        `INSERT INTO incidents (declare_key, title, description, severity, env, declared_by, owner_id, origin_channel_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (declare_key) DO NOTHING RETURNING *`,
        [
          input.declareKey,
          input.title,
          input.description ?? null,
          input.severity,
          input.env ?? null,
          input.declaredBy,
          input.ownerId ?? null,
          input.originChannelId ?? null,
        ],
      );
      if (!rows[0]) return undefined;
      const incident = toIncident(rows[0]);
      await this.timeline.add(incident.id, { ...entry, at: incident.declaredAt }, client);
      return incident;
    });
  }

  async byKey(declareKey: string): Promise<Incident | undefined> {
    const { rows } = await this.pool.query('SELECT * FROM incidents WHERE declare_key = $1', [declareKey]);
    return rows[0] ? toIncident(rows[0]) : undefined;
  }

  async get(id: number): Promise<Incident | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0 || id > 2 ** 31 - 1) return undefined;
    const { rows } = await this.pool.query('SELECT * FROM incidents WHERE id = $1', [id]);
    return rows[0] ? toIncident(rows[0]) : undefined;
  }

  async byChannel(channelId: string): Promise<Incident | undefined> {
    const { rows } = await this.pool.query('SELECT * FROM incidents WHERE channel_id = $1', [channelId]);
    return rows[0] ? toIncident(rows[0]) : undefined;
  }

  /** Open incidents, most severe first, then newest. */
  async open(): Promise<Incident[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM incidents WHERE status <> 'resolved' ORDER BY severity, declared_at DESC, id DESC`,
    );
    return rows.map(toIncident);
  }

  /**
   * Locks the incident, lets `plan` decide from its current state, applies the
   * changes and appends the entry, all in one transaction. Returns the incident
   * before and after, or the refusal.
   */
  async transition(
    id: number,
    plan: (current: Incident) => TransitionPlan,
  ): Promise<{ before: Incident; after: Incident } | { refused: string; current?: Incident }> {
    return this.inTransaction(async (client) => {
      const { rows } = await client.query('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) return { refused: `There is no incident #${id}.` };
      const before = toIncident(rows[0]);
      const decided = plan(before);
      if ('refuse' in decided) return { refused: decided.refuse, current: before };
      const after = await this.apply(client, id, decided.changes);
      if (decided.entry) await this.timeline.add(id, decided.entry, client);
      return { before, after };
    });
  }

  /** Plain bookkeeping without a timeline entry (card refs, channel id). */
  async set(id: number, changes: IncidentChanges): Promise<Incident> {
    return this.apply(this.pool, id, changes);
  }

  private async apply(client: Pool | PoolClient, id: number, changes: IncidentChanges): Promise<Incident> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [column, value] of Object.entries(changes)) {
      if (!COLUMNS.has(column)) throw new Error(`unknown incident column ${column}`);
      if (value === NOW) {
        sets.push(`${column} = now()`);
        continue;
      }
      params.push(
        value !== null && typeof value === 'object' && !(value instanceof Date)
          ? JSON.stringify(value)
          : (value ?? null),
      );
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) {
      const { rows } = await client.query('SELECT * FROM incidents WHERE id = $1', [id]);
      return toIncident(rows[0]);
    }
    const { rows } = await client.query(`UPDATE incidents SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, params);
    return toIncident(rows[0]);
  }

  private inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}
