import type { AuditRecord, AuditRepository } from '../store/audit.js';
import { parseDuration } from '../duration.js';

/** One exported audit row: who, what, where, the frozen plan, approvers, outcome and duration. */
export interface AuditExportRow {
  id: number;
  at: string;
  actor_id: string;
  actor_name: string | null;
  source: string;
  channel_id: string | null;
  command: string | null;
  text: string;
  env: string | null;
  outcome: string;
  duration_ms: number | null;
  approval_id: string | null;
  approvers: string[];
  plan: unknown;
  detail: Record<string, unknown>;
  prev_hash: string | null;
  hash: string | null;
}

export const CSV_COLUMNS: (keyof AuditExportRow)[] = [
  'id',
  'at',
  'actor_id',
  'actor_name',
  'source',
  'channel_id',
  'command',
  'text',
  'env',
  'outcome',
  'duration_ms',
  'approval_id',
  'approvers',
  'plan',
  'detail',
  'prev_hash',
  'hash',
];

export function toExportRow(r: AuditRecord): AuditExportRow {
  const detail = r.detail ?? {};
  const approvers = Array.isArray(detail.approvedBy) ? (detail.approvedBy as string[]) : [];
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor_id: r.actorId,
    actor_name: r.actorName ?? null,
    source: r.source,
    channel_id: r.channelId ?? null,
    command: r.command ?? null,
    text: r.text,
    env: r.env ?? null,
    outcome: r.outcome,
    duration_ms: r.durationMs ?? null,
    approval_id: typeof detail.approvalId === 'string' ? detail.approvalId : null,
    approvers,
    plan: detail.plan ?? null,
    detail,
    prev_hash: r.prevHash ?? null,
    hash: r.hash ?? null,
  };
}

/** RFC 4180: quoted when needed, quotes doubled; arrays and objects as JSON. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(row: AuditExportRow): string {
  return CSV_COLUMNS.map((c) => csvCell(row[c])).join(',');
}

/** `opsbot audit verify`: walks the chain and names the first row altered or removed. Exit 0 when intact, 1 otherwise. */
export async function auditVerify(repo: AuditRepository, out: NodeJS.WritableStream): Promise<number> {
  const v = await repo.verify();
  const before = v.beforeChain ? ` (${v.beforeChain} older row(s) from before the chain are not covered)` : '';
  if (v.ok) {
    out.write(
      `audit trail intact: ${v.rows - v.beforeChain} chained row(s)${before}${v.lastId ? `; last row ${v.lastId}, hash ${v.lastHash}` : ''}\n`,
    );
    return 0;
  }
  out.write(`audit trail BROKEN at row ${v.firstBadId}: ${v.problem}${before}\n`);
  return 1;
}

/** `opsbot audit export --since 7d [--format jsonl|csv]`. */
export async function auditExport(
  repo: AuditRepository,
  opts: { since?: string; format?: string },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const sinceMs = parseDuration(opts.since ?? '7d');
  if (sinceMs === undefined) {
    err.write(`--since "${opts.since}" is not a duration; write e.g. 7d, 24h or 30m\n`);
    return 2;
  }
  const format = opts.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') {
    err.write(`--format "${format}" is not known; use jsonl or csv\n`);
    return 2;
  }
  const rows = (await repo.since(new Date(now.getTime() - sinceMs))).map(toExportRow);
  if (format === 'csv') out.write(`${CSV_COLUMNS.join(',')}\n`);
  for (const row of rows) out.write(`${format === 'csv' ? csvLine(row) : JSON.stringify(row)}\n`);
  return 0;
}
