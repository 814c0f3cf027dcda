import { context, escapeMrkdwn, header, section, type KnownBlock } from './blocks.js';
import { takeWithMore } from './limits.js';
import { progressBar } from './progress.js';
import { dataTable } from './table.js';
import type { Reply, Tone } from './reply.js';
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';

export interface SnapshotView {
  id: string;
  instance: string;
  status: string;
  type: string;
  createdAt?: Date;
  sizeGb: number;
  percent?: number;
}

export interface VerificationView {
  env: string;
  method: 'logical' | 'snapshot';
  source: string;
  ok: boolean;
  summary: string;
  checks: { table: string; restored: number | null; live: number | null; ok: boolean; note?: string }[];
  cleanup?: string;
  finishedAt: Date;
  durationMs: number;
}

/** Table cells are plain text (no :emoji: codes), so the status carries a character of its own. */
const STATUS_MARK: Record<string, string> = {
  available: '✓',
  creating: '…',
  failed: '✗',
};

export function age(at: Date | undefined, now: Date): string {
  return at ? `${formatDistanceStrict(at, now)} ago` : 'age unknown';
}

export interface SnapshotListView {
  env: string;
  instance: string;
  snapshots: SnapshotView[];
  now: Date;
  /** The backup schedule's period and margin: the newest backup must be younger than their sum. */
  freshness: { periodMs: number; marginMs: number };
  lastVerified?: VerificationView;
  lastAttempt?: VerificationView;
}

const ICON: Record<Tone, string> = {
  ok: ':large_green_circle:',
  warning: ':large_yellow_circle:',
  danger: ':red_circle:',
  info: ':information_source:',
  muted: ':grey_question:',
};

function span(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 24 && h % 24 === 0 ? `${h / 24} day${h === 24 ? '' : 's'}` : `${Math.round(h * 10) / 10}h`;
}

/** The freshness of the newest available snapshot against the schedule, and the last verification. */
function judge(view: SnapshotListView): { tone: Tone; fresh: string; verified: Tone } {
  const newest = view.snapshots.find((s) => s.status === 'available');
  const { periodMs, marginMs } = view.freshness;
  let tone: Tone;
  let fresh: string;
  if (!newest) {
    tone = 'danger';
    fresh = ':red_circle: *No available snapshot* — take one with `/ops backup`';
  } else {
    const ageMs = newest.createdAt ? view.now.getTime() - newest.createdAt.getTime() : Infinity;
    tone = ageMs > periodMs + marginMs ? 'danger' : 'ok';
    fresh = `${ICON[tone]} Newest available snapshot is *${age(newest.createdAt, view.now)}*${tone === 'danger' ? ` — older than one backup period (${span(periodMs)}) plus ${span(marginMs)}: a scheduled backup was missed` : ''}`;
  }
  const last = view.lastAttempt;
  const verified: Tone = !last ? 'muted' : last.ok ? 'ok' : 'danger';
  return { tone, fresh, verified };
}

/** `/ops backup list`: newest first, with age, size and type; the last verified backup under it. */
export function renderSnapshotList(view: SnapshotListView): Reply {
  const { shown, more } = takeWithMore(view.snapshots, 20);
  const newest = view.snapshots.find((s) => s.status === 'available');
  const j = judge(view);
  const rows = shown.map((s) => [
    `${STATUS_MARK[s.status] ?? '?'} ${s.status}${s.status === 'creating' && s.percent !== undefined ? ` ${progressBar(s.percent)}` : ''}`,
    s.id,
    s.type,
    age(s.createdAt, view.now),
    `${s.sizeGb} GiB`,
  ]);
  const blocks: KnownBlock[] = [header(`Backups of ${view.instance} (${view.env})`), section(j.fresh)];
  if (rows.length)
    blocks.push(
      ...dataTable(
        [
          { header: 'status' },
          { header: 'snapshot' },
          { header: 'type' },
          { header: 'age' },
          { header: 'size', align: 'right' },
        ],
        rows,
      ),
    );
  if (more) blocks.push(context(more));
  blocks.push(section(verificationLine(view.lastVerified, view.lastAttempt, view.now)));
  blocks.push(
    context(
      `env *${view.env}* · ${view.snapshots.length} snapshot(s) · restore one with \`/ops restore ${view.env} <snapshot>\``,
    ),
  );
  // A failed last verification makes the backups untrustworthy however fresh they are; none yet is a warning.
  const tone: Tone =
    j.tone === 'danger' || j.verified === 'danger' ? 'danger' : j.verified === 'muted' ? 'warning' : j.tone;
  return {
    text: `${view.snapshots.length} snapshots of ${view.instance}${newest ? `, newest ${age(newest.createdAt, view.now)}` : ', none available'}${j.verified === 'danger' ? '; last verification failed' : ''}`,
    tone,
    verdict: tone === 'ok' ? 'good' : 'bad',
    blocks,
  };
}

function verificationLine(ok: VerificationView | undefined, last: VerificationView | undefined, now: Date): string {
  if (!last) return ':grey_question: No backup has been verified yet: `/ops backup verify`';
  if (last.ok)
    return `:white_check_mark: Last verified ${age(last.finishedAt, now)} (${last.method}: ${escapeMrkdwn(last.source)})`;
  return `:x: Last verification ${age(last.finishedAt, now)} failed: ${escapeMrkdwn(last.summary)}${ok ? ` · last passing one ${age(ok.finishedAt, now)}` : ''}`;
}
