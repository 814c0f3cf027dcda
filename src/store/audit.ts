import { redactDeep, redactSecrets } from '../redact.js';
import { inTransaction, type Pool } from './pool.js';
import { ChainWalker, GENESIS_HASH, rowHash, type ChainVerdict, type StoredRow } from './audit-chain.js';

export type AuditOutcome =
  | 'ok'
  | 'user_error'
  | 'error'
  | 'queued'
  | 'approval_requested'
  | 'approved'
  | 'rejected'
  | 'withdrawn'
  | 'expired'
  | 'denied'
  | 'refused'
  | 'plan_changed'
  | 'executed'
  | 'failed'
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
  hash?: string;
  prevHash?: string;
}

/** The audit trail as the router and the approval gate use it. */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
  recent(limit?: number): Promise<AuditRecord[]>;
}

/** One advisory-lock key for every writer of the chain, in every replica. */
const CHAIN_LOCK = 0x6f70_7361_7564_6974n; // "opsaudit"
const COLUMNS = `id, at, actor_id, actor_name, source, channel_id, command, text, env, outcome, duration_ms, error_ref, detail, prev_hash, hash`;

/**
 * Append-only, hash-chained record of every command, approval, refusal,
 * expiry and outcome. Each insert takes a transaction-scoped advisory lock,
 * reads the last hash and writes its own, so concurrent writers (replicas
 * too) still form one chain. Secrets are redacted before anything is hashed.
 */
export class AuditRepository implements AuditTrail {
  constructor(private readonly pool: Pool) {}

  async record(entry: AuditEntry): Promise<void> {
    const detail = JSON.parse(JSON.stringify(redactDeep(entry.detail ?? {}))) as Record<string, unknown>;
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK.toString()]);
      // A row replayed from the spool file after a crash may already be stored: write it once.
      if (typeof detail.spoolId === 'string') {
        const stored = await client.query(
          `SELECT 1 FROM audit_log WHERE detail ? 'spoolId' AND detail->>'spoolId' = $1 LIMIT 1`,
          [detail.spoolId],
        );
        if (stored.rowCount) return;
      }
      const last = await client.query(`SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1`);
      const next = await client.query(`SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id`);
      const row = {
        id: Number(next.rows[0].id),
        // Millisecond precision, so the stored timestamptz reads back exactly as hashed.
        at: new Date(),
        actorId: entry.actorId,
        actorName: entry.actorName ?? null,
        source: entry.source,
        channelId: entry.channelId ?? null,
        command: entry.command ?? null,
        text: redactSecrets(entry.text),
        env: entry.env ?? null,
        outcome: entry.outcome,
        durationMs: entry.durationMs ?? null,
        errorRef: entry.errorRef ?? null,
        detail,
        prevHash: (last.rows[0]?.hash as string | undefined) ?? GENESIS_HASH,
      };
      await client.query(
        `INSERT INTO audit_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          row.id,
          row.at,
          row.actorId,
          row.actorName,
          row.source,
          row.channelId,
          row.command,
          row.text,
          row.env,
          row.outcome,
          row.durationMs,
          row.errorRef,
          JSON.stringify(row.detail),
          row.prevHash,
          rowHash(row),
        ],
      );
    });
  }

  async recent(limit = 50): Promise<AuditRecord[]> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM audit_log ORDER BY id DESC LIMIT $1`, [limit]);
    return rows.map(toRecord);
  }

  /** Rows at or after `since`, oldest first. */
  async since(since: Date): Promise<AuditRecord[]> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM audit_log WHERE at >= $1 ORDER BY id`, [since]);
    return rows.map(toRecord);
  }

  /** Walks the whole chain in id order, a page at a time. */
  async verify(pageSize = 1000): Promise<ChainVerdict> {
    const walker = new ChainWalker();
    let after = 0;
    for (;;) {
      const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`, [
        after,
        pageSize,
      ]);
      for (const r of rows) walker.add(toStored(r));
      if (rows.length < pageSize || walker.failed) break;
      after = Number(rows[rows.length - 1].id);
    }
    return walker.verdict();
  }
}

function toStored(r: Record<string, unknown>): StoredRow {
  return {
    id: Number(r.id),
    at: r.at as Date,
    actorId: r.actor_id as string,
    actorName: (r.actor_name as string | null) ?? null,
    source: r.source as string,
    channelId: (r.channel_id as string | null) ?? null,
    command: (r.command as string | null) ?? null,
    text: r.text as string,
    env: (r.env as string | null) ?? null,
    outcome: r.outcome as string,
    durationMs: (r.duration_ms as number | null) ?? null,
    errorRef: (r.error_ref as string | null) ?? null,
    detail: r.detail,
    prevHash: (r.prev_hash as string | null) ?? '',
    hash: (r.hash as string | null) ?? null,
  };
}

function toRecord(r: Record<string, unknown>): AuditRecord {
  const s = toStored(r);
  return {
    id: s.id,
    at: s.at,
    actorId: s.actorId,
    actorName: s.actorName ?? undefined,
    source: s.source as AuditEntry['source'],
    channelId: s.channelId ?? undefined,
    command: s.command ?? undefined,
    text: s.text,
    env: s.env ?? undefined,
    outcome: s.outcome as AuditOutcome,
    durationMs: s.durationMs ?? undefined,
    errorRef: s.errorRef ?? undefined,
    detail: s.detail as Record<string, unknown>,
    hash: s.hash ?? undefined,
    prevHash: s.prevHash || undefined,
  };
}
