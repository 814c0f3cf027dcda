import type { QueryResultRow } from 'pg';
import type { Pool, PoolClient } from './pool.js';

/**
 * Overrides (swap requests are in oncall-swaps.ts). A conflict (two live overrides overlapping on
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

export type OverrideResult = { ok: true; override: StoredOverride } | { ok: false; reason: string };

const EXCLUSION_VIOLATION = '23P01';
const idOk = (id: string) => /^\d{1,9}$/.test(id);

function toOverride(r: QueryResultRow): StoredOverride {
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
      return { ok: true, override: await insertOverride(this.pool, input) };
    } catch (err) {
      if ((err as { code?: string }).code !== EXCLUSION_VIOLATION) throw err;
      return { ok: false, reason: describeConflict(input.layer, await findOverrideConflict(this.pool, input)) };
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
}

export function describeConflict(layer: string, c: StoredOverride | undefined): string {
  if (!c) return `it overlaps another override on ${layer}`;
  return `it overlaps override ${c.id} on ${c.layer}: <@${c.userId}> from ${c.start.toISOString()} to ${c.end.toISOString()}; remove that one first`;
}

export async function insertOverride(db: Pool | PoolClient, o: NewOverride, swapId?: string): Promise<StoredOverride> {
  const { rows } = await db.query(
    `INSERT INTO oncall_overrides (schedule, layer, user_id, starts_at, ends_at, reason, created_by, swap_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [o.schedule, o.layer, o.userId, o.start, o.end, o.reason ?? null, o.createdBy, swapId ?? null],
  );
  return toOverride(rows[0]);
}

export async function findOverrideConflict(
  db: Pool | PoolClient,
  o: {
    schedule: string;
    layer: string;
    start: Date;
    end: Date;
  },
): Promise<StoredOverride | undefined> {
  const { rows } = await db.query(
    `SELECT * FROM oncall_overrides WHERE schedule = $1 AND layer = $2 AND removed_at IS NULL
          AND tstzrange(starts_at, ends_at) && tstzrange($3, $4) ORDER BY starts_at LIMIT 1`,
    [o.schedule, o.layer, o.start, o.end],
  );
  return rows[0] ? toOverride(rows[0]) : undefined;
}
