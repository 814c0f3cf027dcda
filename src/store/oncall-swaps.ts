import type { QueryResultRow } from 'pg';
import { inTransaction, type Pool, type PoolClient } from './pool.js';
import { describeConflict, findOverrideConflict, insertOverride, type StoredOverride } from './oncall-overrides.js';

/**
 * Swap requests: pending until the other person agrees. Accepting is one
 * conditional UPDATE (status = 'pending', by the other person, not expired)
 * in the same transaction as the two overrides it creates, so a double click
 * or a second replica accepts once, and an override added meanwhile makes the
 * whole swap fail with the reason instead of half-applying it.
 */

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

const EXCLUSION_VIOLATION = '23P01';
const idOk = (id: string) => /^\d{1,9}$/.test(id);

function toSwap(r: QueryResultRow): SwapRequest {
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

export class SwapRepository {
  constructor(private readonly pool: Pool) {}

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
        const give = await insertOverride(
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
        const take = await insertOverride(
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
        (await findOverrideConflict(this.pool, { ...swap, ...swap.give })) ??
        (await findOverrideConflict(this.pool, { ...swap, ...swap.take }));
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
