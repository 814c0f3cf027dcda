import { createHash } from 'node:crypto';

/** The prev_hash of the first chained row. */
export const GENESIS_HASH = '0'.repeat(64);

/** A row's content as hashed: every column but the hash itself. */
export interface ChainedContent {
  id: number;
  at: Date;
  actorId: string;
  actorName: string | null;
  source: string;
  channelId: string | null;
  command: string | null;
  text: string;
  env: string | null;
  outcome: string;
  durationMs: number | null;
  errorRef: string | null;
  detail: unknown;
  prevHash: string;
}

/** JSON with object keys sorted at every depth, so jsonb's own key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256 (hex) over the row's canonical content, which includes the previous row's hash. */
export function rowHash(row: ChainedContent): string {
  const content = canonicalJson({
    id: row.id,
    at: row.at.toISOString(),
    actor_id: row.actorId,
    actor_name: row.actorName,
    source: row.source,
    channel_id: row.channelId,
    command: row.command,
    text: row.text,
    env: row.env,
    outcome: row.outcome,
    duration_ms: row.durationMs,
    error_ref: row.errorRef,
    detail: row.detail,
    prev_hash: row.prevHash,
  });
  return createHash('sha256').update(content).digest('hex');
}

export type ChainVerdict =
  | { ok: true; rows: number; beforeChain: number; lastId?: number; lastHash?: string }
  | { ok: false; rows: number; beforeChain: number; firstBadId: number; problem: string };

/** A stored row: its content plus the hash it claims. */
export type StoredRow = ChainedContent & { hash: string | null };

/**
 * Walks rows in id order. Names the first row whose content no longer matches
 * its hash (altered), or whose prev_hash is not the hash of the row before it
 * (rows removed, or a hash rewritten).
 */
export class ChainWalker {
  private prev?: StoredRow;
  private rows = 0;
  private beforeChain = 0;
  private failure?: { firstBadId: number; problem: string };

  get failed(): boolean {
    return Boolean(this.failure);
  }

  add(row: StoredRow): void {
    if (this.failure) return;
    this.rows++;
    if (row.hash === null) {
      if (!this.prev) {
        this.beforeChain++;
        return;
      }
      this.failure = { firstBadId: row.id, problem: `row ${row.id} has no hash: it was written around the chain` };
      return;
    }
    const expectedPrev = this.prev?.hash ?? GENESIS_HASH;
    if (rowHash(row) !== row.hash) {
      this.failure = {
        firstBadId: row.id,
        problem: `row ${row.id} was altered: its content no longer matches its hash`,
      };
    } else if (row.prevHash !== expectedPrev) {
      this.failure = {
        firstBadId: row.id,
        problem: this.prev
          ? `row ${row.id} does not follow row ${this.prev.id}: the row(s) between them were removed, or row ${this.prev.id}'s hash was rewritten`
          : `row ${row.id} is the first chained row but does not start the chain: earlier rows were removed`,
      };
    }
    this.prev = row;
  }

  verdict(): ChainVerdict {
    if (this.failure) return { ok: false, rows: this.rows, beforeChain: this.beforeChain, ...this.failure };
    return {
      ok: true,
      rows: this.rows,
      beforeChain: this.beforeChain,
      lastId: this.prev?.id,
      lastHash: this.prev?.hash ?? undefined,
    };
  }
}
