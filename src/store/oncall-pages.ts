import type { QueryResultRow } from 'pg';
import { inTransaction, type Pool } from './pool.js';

/**
 * Pages and their escalation state. Every change of state (a firing, an
 * acknowledgement, a resolution) bumps `generation` in one conditional
 * UPDATE; a delayed job carries the generation it was scheduled with and does
 * nothing when that is no longer current, so a stale timer never fires and
 * two replicas running the same timer page once.
 */

export type PageStatus = 'open' | 'acknowledged' | 'resolved' | 'exhausted';
export type PageSubject = 'incident' | 'alert' | 'manual';

export interface Page {
  id: string;
  key: string;
  subjectKind: PageSubject;
  subjectId: string;
  severity: string;
  schedule: string;
  summary: string;
  channelId?: string;
  status: PageStatus;
  openedAt: Date;
  startedAt: Date;
  generation: number;
  fired: number;
  nextFireAt?: Date;
  lastFiredAt?: Date;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  resolvedAt?: Date;
  resolvedBy?: string;
}

export interface PageEvent {
  id: string;
  pageId: string;
  at: Date;
  kind: 'paged' | 'acknowledged' | 'resolved' | 'exhausted' | 'pager_failed';
  seq?: number;
  userIds: string[];
  actorId?: string;
  detail: Record<string, unknown>;
}

function toPage(r: QueryResultRow): Page {
  return {
    id: String(r.id),
    key: r.page_key,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    severity: r.severity,
    schedule: r.schedule,
    summary: r.summary,
    channelId: r.channel_id ?? undefined,
    status: r.status,
    openedAt: r.opened_at,
    startedAt: r.started_at,
    generation: r.generation,
    fired: r.fired,
    nextFireAt: r.next_fire_at ?? undefined,
    lastFiredAt: r.last_fired_at ?? undefined,
    acknowledgedAt: r.acknowledged_at ?? undefined,
    acknowledgedBy: r.acknowledged_by ?? undefined,
    resolvedAt: r.resolved_at ?? undefined,
    resolvedBy: r.resolved_by ?? undefined,
  };
}

function toEvent(r: QueryResultRow): PageEvent {
  return {
    id: String(r.id),
    pageId: String(r.page_id),
    at: r.at,
    kind: r.kind,
    seq: r.seq ?? undefined,
    userIds: r.user_ids,
    actorId: r.actor_id ?? undefined,
    detail: r.detail,
  };
}

const idOk = (id: string) => /^\d{1,9}$/.test(id);

export class PageRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Opens a page for a subject unless one is live (open or acknowledged) for the same key:
   * a retried delivery or a second replica gets the existing page and `created: false`.
   */
  async open(input: {
    key: string;
    subjectKind: PageSubject;
    subjectId: string;
    severity: string;
    schedule: string;
    summary: string;
    channelId?: string;
    startedAt: Date;
    nextFireAt?: Date;
  }): Promise<{ page: Page; created: boolean }> {
    const { rows } = await this.pool.query(
      `INSERT INTO oncall_pages (page_key, subject_kind, subject_id, severity, schedule, summary, channel_id, started_at, next_fire_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (page_key) WHERE status IN ('open', 'acknowledged') DO NOTHING RETURNING *`,
      [
        input.key,
        input.subjectKind,
        input.subjectId,
        input.severity,
        input.schedule,
        input.summary,
        input.channelId ?? null,
        input.startedAt,
        input.nextFireAt ?? input.startedAt,
      ],
    );
    if (rows[0]) return { page: toPage(rows[0]), created: true };
    const live = await this.live(input.key);
    if (live) return { page: live, created: false };
    return this.open(input); // the live one was closed between the two statements
  }

  async get(id: string): Promise<Page | undefined> {
    if (!idOk(id)) return undefined;
    const { rows } = await this.pool.query('SELECT * FROM oncall_pages WHERE id = $1', [id]);
    return rows[0] ? toPage(rows[0]) : undefined;
  }

  /** The open or acknowledged page for a key. */
  async live(key: string): Promise<Page | undefined> {
    const { rows } = await this.pool.query(
      `SELECT * FROM oncall_pages WHERE page_key = $1 AND status IN ('open', 'acknowledged')`,
      [key],
    );
    return rows[0] ? toPage(rows[0]) : undefined;
  }

  /**
   * Records firing `seq` when `generation` is still current and the page open: the only
   * way a page goes out. Undefined means someone else fired it, or it was acknowledged.
   */
  async claimFiring(
    id: string,
    generation: number,
    firing: { seq: number; userIds: string[]; nextFireAt?: Date; detail?: Record<string, unknown> },
  ): Promise<Page | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query(
        `UPDATE oncall_pages SET generation = generation + 1, fired = $3 + 1, next_fire_at = $4, last_fired_at = now()
          WHERE id = $1 AND generation = $2 AND status = 'open' RETURNING *`,
        [id, generation, firing.seq, firing.nextFireAt ?? null],
      );
      if (!rows[0]) return undefined;
      await client.query(
        `INSERT INTO oncall_page_events (page_id, kind, seq, user_ids, detail) VALUES ($1, 'paged', $2, $3, $4)`,
        [id, firing.seq, firing.userIds, firing.detail ?? {}],
      );
      return toPage(rows[0]);
    });
  }

  /** Stops the chain at once: every timer still out carries an older generation. */
  async acknowledge(id: string, userId: string): Promise<{ page: Page; timeToAckMs: number } | undefined> {
    return this.finish(id, userId, 'acknowledged');
  }

  async resolve(id: string, userId: string): Promise<{ page: Page; timeToAckMs: number } | undefined> {
    return this.finish(id, userId, 'resolved');
  }

  /** Acknowledging an alert or incident acknowledges its live page. */
  async acknowledgeSubject(
    kind: PageSubject,
    subjectId: string,
    userId: string,
  ): Promise<{ page: Page; timeToAckMs: number } | undefined> {
    const { rows } = await this.pool.query(
      `SELECT id FROM oncall_pages WHERE subject_kind = $1 AND subject_id = $2 AND status = 'open'`,
      [kind, subjectId],
    );
    return rows[0] ? this.acknowledge(String(rows[0].id), userId) : undefined;
  }

  async resolveSubject(kind: PageSubject, subjectId: string, userId: string) {
    const { rows } = await this.pool.query(
      `SELECT id FROM oncall_pages WHERE subject_kind = $1 AND subject_id = $2 AND status IN ('open', 'acknowledged')`,
      [kind, subjectId],
    );
    return rows[0] ? this.resolve(String(rows[0].id), userId) : undefined;
  }

  /** The chain ran out with nobody answering; only the holder of the current generation may say so. */
  async markExhausted(id: string, generation: number): Promise<Page | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query(
        `UPDATE oncall_pages SET status = 'exhausted', generation = generation + 1, next_fire_at = NULL
          WHERE id = $1 AND generation = $2 AND status = 'open' RETURNING *`,
        [id, generation],
      );
      if (!rows[0]) return undefined;
      await client.query(`INSERT INTO oncall_page_events (page_id, kind) VALUES ($1, 'exhausted')`, [id]);
      return toPage(rows[0]);
    });
  }

  /** An incident declared from an alert takes over the alert's live page (one chain, not two). */
  async adopt(key: string, kind: PageSubject, subjectId: string, channelId?: string): Promise<Page | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE oncall_pages SET subject_kind = $2, subject_id = $3, channel_id = coalesce($4, channel_id)
        WHERE page_key = $1 AND status IN ('open', 'acknowledged') RETURNING *`,
      [key, kind, subjectId, channelId ?? null],
    );
    return rows[0] ? toPage(rows[0]) : undefined;
  }

  /** Pages this person acknowledged lately, newest first (the App Home tab). */
  async acknowledgedBy(userId: string, limit = 5): Promise<Page[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM oncall_pages WHERE acknowledged_by = $1 AND acknowledged_at > now() - interval '7 days'
        ORDER BY acknowledged_at DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map(toPage);
  }

  async recordPagerFailure(id: string, pager: string, error: string): Promise<void> {
    await this.pool.query(`INSERT INTO oncall_page_events (page_id, kind, detail) VALUES ($1, 'pager_failed', $2)`, [
      id,
      { pager, error },
    ]);
  }

  /** Open pages whose next firing is due: the sweep that recovers a timer lost with its worker. */
  async due(now: Date, limit = 50): Promise<Page[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM oncall_pages WHERE status = 'open' AND next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2`,
      [now, limit],
    );
    return rows.map(toPage);
  }

  async openPages(): Promise<Page[]> {
    const { rows } = await this.pool.query(`SELECT * FROM oncall_pages WHERE status = 'open' ORDER BY opened_at`);
    return rows.map(toPage);
  }

  async events(id: string): Promise<PageEvent[]> {
    if (!idOk(id)) return [];
    const { rows } = await this.pool.query('SELECT * FROM oncall_page_events WHERE page_id = $1 ORDER BY at, id', [id]);
    return rows.map(toEvent);
  }

  private async finish(
    id: string,
    userId: string,
    status: 'acknowledged' | 'resolved',
  ): Promise<{ page: Page; timeToAckMs: number } | undefined> {
    if (!idOk(id)) return undefined;
    const from = status === 'acknowledged' ? `('open')` : `('open', 'acknowledged')`;
    const set =
      status === 'acknowledged'
        ? 'acknowledged_at = now(), acknowledged_by = $2'
        : 'resolved_at = now(), resolved_by = $2, acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, $2)';
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query(
        `UPDATE oncall_pages SET status = '${status}', generation = generation + 1, next_fire_at = NULL, ${set}
          WHERE id = $1 AND status IN ${from} RETURNING *`,
        [id, userId],
      );
      if (!rows[0]) return undefined;
      const page = toPage(rows[0]);
      const timeToAckMs = page.acknowledgedAt!.getTime() - page.openedAt.getTime();
      await client.query(`INSERT INTO oncall_page_events (page_id, kind, actor_id, detail) VALUES ($1, $2, $3, $4)`, [
        id,
        status,
        userId,
        { timeToAckMs },
      ]);
      return { page, timeToAckMs };
    });
  }
}
