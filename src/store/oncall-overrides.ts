import { inTransaction, type Pool, type PoolClient } from './pool.js';

/**
 * Overrides and swap requests. A conflict (two live overrides overlapping on
 * one layer) is refused by the database's exclusion constraint, so it holds
 * across replicas; the refusal names the override in the way.
 */

export interface StoredOverride {
  id: string;
  schedule: string;
  layer: string;
  userId: string;
  start: Date;
  end: Date;
  reason?: string;
  createdBy: string;
  createdAt: Date;
  swapId?: string;
}

export type SwapStatus = 'pending' | 'accepted' | 'declined' | 'cancelled' | 'expired' | 'failed';

export interface SwapRequest {
  id: string;
  schedule: string;
  layer: string;
  requesterId: string;
  otherId: string;
  /** The requester's shift, which the other person covers. */
  give: { start: Date; end: Date };
  /** The other person's shift, which the requester covers. */
  take: { start: Date; end: Date };
  status: SwapStatus;
  createdAt: Date;
  expiresAt: Date;
  decidedAt?: Date;
  decidedBy?: string;
  failure?: string;
  channelId?: string;
  messageTs?: string;
}

export type OverrideResult = { ok: true; override: StoredOverride } | { ok: false; reason: string };

const EXCLUSION_VIOLATION = '23P01';
const idOk = (id: string) => /^\d{1,9}$/.test(id);

function toOverride(r: Record<string, any>): StoredOverride {
  return {
    id: String(r.id),
    schedule: r.schedule,
    layer: r.layer,
    userId: r.user_id,
    start: r.starts_at,
    end: r.ends_at,
    reason: r.reason ?? undefined,
    createdBy: r.created_by,
    createdAt: r.created_at,
    swapId: r.swap_id == null ? undefined : String(r.swap_id),
  };
}

function toSwap(r: Record<string, any>): SwapRequest {
  return {
    id: String(r.id),
    schedule: r.schedule,
    layer: r.layer,
    requesterId: r.requester_id,
    otherId: r.other_id,
    give: { start: r.give_starts_at, end: r.give_ends_at },
    take: { start: r.take_starts_at, end: r.take_ends_at },
    status: r.status,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedAt: r.decided_at ?? undefined,
    decidedBy: r.decided_by ?? undefined,
    failure: r.failure ?? undefined,
    channelId: r.channel_id ?? undefined,
    messageTs: r.message_ts ?? undefined,
  };
}

export interface NewOverride {
  schedule: string;
  layer: string;
  userId: string;
  start: Date;
  end: Date;
  reason?: string;
  createdBy: string;
}

export class OverrideRepository {
  constructor(private readonly pool: Pool) {}

  async create(input: NewOverride): Promise<OverrideResult> {
    try {
      return { ok: true, override: await this.insert(this.pool, input) };
    } catch (err) {
      if ((err as { code?: string }).code !== EXCLUSION_VIOLATION) throw err;
      return { ok: false, reason: await this.conflictReason(input) };
    }
  }

  /** Live overrides of a schedule that end after `from` (and start before `to`), oldest first. */
  async list(schedule: string, from: Date, to?: Date): Promise<StoredOverride[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM oncall_overrides
        WHERE schedule = $1 AND removed_at IS NULL AND ends_at > $2 AND ($3::timestamptz IS NULL OR starts_at < $3)
        ORDER BY starts_at, id`,
      [schedule, from, to ?? null],
    );
    return rows.map(toOverride);
  }

  async get(id: string): Promise<StoredOverride | undefined> {
    if (!idOk(id)) return undefined;
    const { rows } = await this.pool.query('SELECT * FROM oncall_overrides WHERE id = $1 AND removed_at IS NULL', [id]);
    return rows[0] ? toOverride(rows[0]) : undefined;
  }

  /** Removes a live override; undefined when it was already removed (or never existed). */
  async remove(id: string, userId: string): Promise<StoredOverride | undefined> {
    if (!idOk(id)) return undefined;
    const { rows } = await this.pool.query(
      `UPDATE oncall_overrides SET removed_at = now(), removed_by = $2 WHERE id = $1 AND removed_at IS NULL RETURNING *`,
      [id, userId],
    );
    return rows[0] ? toOverride(rows[0]) : undefined;
  }

  async requestSwap(input: {
    schedule: string;
    layer: string;
    requesterId: string;
    otherId: string;
    give: { start: Date; end: Date };
    take: { start: Date; end: Date };
    expiresAt: Date;
  }): Promise<SwapRequest> {
    const { rows } = await this.pool.query(
      `INSERT INTO oncall_swap_requests
         (schedule, layer, requester_id, other_id, give_starts_at, give_ends_at, take_starts_at, take_ends_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        input.schedule,
        input.layer,
        input.requesterId,
        input.otherId,
        input.give.start,
        input.give.end,
        input.take.start,
        input.take.end,
        input.expiresAt,
      ],
    );
    return toSwap(rows[0]);
  }

  async getSwap(id: string): Promise<SwapRequest | undefined> {
    if (!idOk(id)) return undefined;
    const { rows } = await this.pool.query('SELECT * FROM oncall_swap_requests WHERE id = $1', [id]);
    return rows[0] ? toSwap(rows[0]) : undefined;
  }

  async attachSwapMessage(id: string, channelId: string, messageTs: string): Promise<void> {
    await this.pool.query('UPDATE oncall_swap_requests SET channel_id = $2, message_ts = $3 WHERE id = $1', [
      id,
      channelId,
      messageTs,
    ]);
  }

  async pendingSwapsFor(userId: string): Promise<SwapRequest[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM oncall_swap_requests
        WHERE status = 'pending' AND expires_at > now() AND (other_id = $1 OR requester_id = $1) ORDER BY id`,
      [userId],
    );
    return rows.map(toSwap);
  }

  /**
   * The other person agrees: the request leaves 'pending' in one conditional UPDATE
   * and both overrides are inserted in the same transaction. When an override now
   * overlaps (someone added one meanwhile), nothing is kept and the request is
   * marked failed with the reason.
   */
  async acceptSwap(
    id: string,
    userId: string,
  ): Promise<{ ok: true; swap: SwapRequest; overrides: StoredOverride[] } | { ok: false; reason: string }> {
    if (!idOk(id)) return { ok: false, reason: `there is no swap request ${id}` };
    try {
      return await inTransaction(this.pool, async (client) => {
        const { rows } = await client.query(
          `UPDATE oncall_swap_requests SET status = 'accepted', decided_at = now(), decided_by = $2
            WHERE id = $1 AND status = 'pending' AND other_id = $2 AND expires_at > now() RETURNING *`,
          [id, userId],
        );
        if (!rows[0]) return { ok: false as const, reason: await this.whyNot(client, id, userId, 'accept') };
        const swap = toSwap(rows[0]);
        const give = await this.insert(
          client,
          {
            schedule: swap.schedule,
            layer: swap.layer,
            userId: swap.otherId,
            ...swap.give,
            reason: `swap ${swap.id}`,
            createdBy: swap.requesterId,
          },
          swap.id,
        );
        const take = await this.insert(
          client,
          {
            schedule: swap.schedule,
            layer: swap.layer,
            userId: swap.requesterId,
            ...swap.take,
            reason: `swap ${swap.id}`,
            createdBy: swap.requesterId,
          },
          swap.id,
        );
        return { ok: true as const, swap, overrides: [give, take] };
      });
    } catch (err) {
      if ((err as { code?: string }).code !== EXCLUSION_VIOLATION) throw err;
      const swap = (await this.getSwap(id))!;
      const found =
        (await this.findConflict({ ...swap, ...swap.give })) ?? (await this.findConflict({ ...swap, ...swap.take }));
      const reason = `one of the shifts is now covered: ${describeConflict(swap.layer, found)}`;
      await this.pool.query(
        `UPDATE oncall_swap_requests SET status = 'failed', failure = $2, decided_at = now(), decided_by = $3
          WHERE id = $1 AND status = 'pending'`,
        [id, reason, userId],
      );
      return { ok: false, reason };
    }
  }

  /** The other person says no, or the requester withdraws. */
  async closeSwap(
    id: string,
    userId: string,
    outcome: 'declined' | 'cancelled',
  ): Promise<{ ok: true; swap: SwapRequest } | { ok: false; reason: string }> {
    if (!idOk(id)) return { ok: false, reason: `there is no swap request ${id}` };
    const who = outcome === 'declined' ? 'other_id' : 'requester_id';
    const { rows } = await this.pool.query(
      `UPDATE oncall_swap_requests SET status = $3, decided_at = now(), decided_by = $2
        WHERE id = $1 AND status = 'pending' AND ${who} = $2 RETURNING *`,
      [id, userId, outcome],
    );
    if (rows[0]) return { ok: true, swap: toSwap(rows[0]) };
    return {
      ok: false,
      reason: await this.whyNot(this.pool, id, userId, outcome === 'declined' ? 'decline' : 'cancel'),
    };
  }

  /** Claims pending requests past their time, so exactly one replica tells the requester. */
  async expireSwaps(): Promise<SwapRequest[]> {
    const { rows } = await this.pool.query(
      `UPDATE oncall_swap_requests SET status = 'expired', decided_at = now()
        WHERE status = 'pending' AND expires_at <= now() RETURNING *`,
    );
    return rows.map(toSwap);
  }

  private async insert(db: Pool | PoolClient, o: NewOverride, swapId?: string): Promise<StoredOverride> {
    const { rows } = await db.query(
      `INSERT INTO oncall_overrides (schedule, layer, user_id, starts_at, ends_at, reason, created_by, swap_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [o.schedule, o.layer, o.userId, o.start, o.end, o.reason ?? null, o.createdBy, swapId ?? null],
    );
    return toOverride(rows[0]);
  }

  private async conflictReason(o: { schedule: string; layer: string; start: Date; end: Date }): Promise<string> {
    return describeConflict(o.layer, await this.findConflict(o));
  }

  private async findConflict(o: {
    schedule: string;
    layer: string;
    start: Date;
    end: Date;
  }): Promise<StoredOverride | undefined> {
    const { rows } = await this.pool.query(
      `SELECT * FROM oncall_overrides WHERE schedule = $1 AND layer = $2 AND removed_at IS NULL
          AND tstzrange(starts_at, ends_at) && tstzrange($3, $4) ORDER BY starts_at LIMIT 1`,
      [o.schedule, o.layer, o.start, o.end],
    );
    return rows[0] ? toOverride(rows[0]) : undefined;
  }

  private async whyNot(db: Pool | PoolClient, id: string, userId: string, verb: string): Promise<string> {
    const { rows } = await db.query('SELECT * FROM oncall_swap_requests WHERE id = $1', [id]);
    if (!rows[0]) return `there is no swap request ${id}`;
    const swap = toSwap(rows[0]);
    if (swap.status !== 'pending') return `swap request ${id} is already ${swap.status}`;
    if (swap.expiresAt.getTime() <= Date.now()) return `swap request ${id} has expired`;
    const allowed = verb === 'cancel' ? swap.requesterId : swap.otherId;
    return `only <@${allowed}> can ${verb} swap request ${id}`;
  }
}

function describeConflict(layer: string, c: StoredOverride | undefined): string {
  if (!c) return `it overlaps another override on ${layer}`;
  return `it overlaps override ${c.id} on ${c.layer}: <@${c.userId}> from ${c.start.toISOString()} to ${c.end.toISOString()}; remove that one first`;
}
