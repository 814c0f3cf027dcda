import type { QueryResultRow } from 'pg';
import type { Pool } from './pool.js';

export interface Silence {
  id: string;
  matcher: string;
  reason?: string;
  createdBy: string;
  createdAt: Date;
  endsAt: Date;
  removedBy?: string;
  channelId?: string;
  suppressed: number;
}

function toSilence(r: QueryResultRow): Silence {
  return {
    id: String(r.id),
    matcher: r.matcher,
    reason: r.reason ?? undefined,
    createdBy: r.created_by,
    createdAt: r.created_at,
    endsAt: r.ends_at,
    removedBy: r.removed_by ?? undefined,
    channelId: r.channel_id ?? undefined,
    suppressed: r.suppressed,
  };
}

/** Silences in Postgres; ending one is a single conditional UPDATE, so exactly one replica reports it. */
export class SilenceRepository {
  constructor(private readonly pool: Pool) {}

  async create(input: {
    matcher: string;
    reason?: string;
    createdBy: string;
    channelId?: string;
    durationMs: number;
  }): Promise<Silence> {
    const { rows } = await this.pool.query(
      `INSERT INTO silences (matcher, reason, created_by, channel_id, ends_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::double precision / 1000)) RETURNING *`,
      [input.matcher, input.reason ?? null, input.createdBy, input.channelId ?? null, input.durationMs],
    );
    return toSilence(rows[0]);
  }

  async active(): Promise<Silence[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM silences WHERE ends_at > now() AND NOT ended_reported ORDER BY ends_at`,
    );
    return rows.map(toSilence);
  }

  async get(id: string): Promise<Silence | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const { rows } = await this.pool.query('SELECT * FROM silences WHERE id = $1', [id]);
    return rows[0] ? toSilence(rows[0]) : undefined;
  }

  async countSuppressed(id: string): Promise<void> {
    await this.pool.query('UPDATE silences SET suppressed = suppressed + 1 WHERE id = $1', [id]);
  }

  /** Ends an active silence now; undefined when it had already ended. */
  async remove(id: string, userId: string): Promise<Silence | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE silences SET ends_at = now(), removed_by = $2 WHERE id = $1 AND ends_at > now() AND NOT ended_reported RETURNING *`,
      [id, userId],
    );
    return rows[0] ? toSilence(rows[0]) : undefined;
  }

  /** Claims silences whose time is up and that nobody has reported yet. */
  async claimEnded(): Promise<Silence[]> {
    const { rows } = await this.pool.query(
      `UPDATE silences SET ended_reported = true WHERE NOT ended_reported AND ends_at <= now() RETURNING *`,
    );
    return rows.map(toSilence);
  }
}
