import { formatDistanceStrict } from 'date-fns';
import { context, escapeMrkdwn, header, section, type KnownBlock } from './blocks.js';
import { takeWithMore } from './limits.js';
import { progressBar } from './progress.js';
import type { Reply } from './reply.js';

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

const STATUS_ICON: Record<string, string> = {
  available: ':white_check_mark:',
  creating: ':hourglass_flowing_sand:',
  failed: ':x:',
};

function age(at: Date | undefined, now: Date): string {
  return at ? `${formatDistanceStrict(at, now)} ago` : 'age unknown';
}

/** `/ops backup list`: newest first, with age, size and type; the last verified backup under it. */
export function renderSnapshotList(view: {
  env: string;
  instance: string;
  snapshots: SnapshotView[];
  now: Date;
  lastVerified?: VerificationView;
  lastAttempt?: VerificationView;
}): Reply {
  const { shown, more } = takeWithMore(view.snapshots, 20);
  const newest = view.snapshots.find((s) => s.status === 'available');
  const newestAgeH = newest?.createdAt ? (view.now.getTime() - newest.createdAt.getTime()) / 3_600_000 : undefined;
  const tone = newestAgeH === undefined || newestAgeH > 48 ? 'warning' : 'ok';
  const lines = shown.map((s) => {
    const icon = STATUS_ICON[s.status] ?? ':grey_question:';
    const progress =
      s.status === 'creating' && s.percent !== undefined
        ? ` \`${progressBar(s.percent)}\``
        : s.status !== 'available'
          ? ` _${escapeMrkdwn(s.status)}_`
          : '';
    return `${icon} \`${escapeMrkdwn(s.id)}\` · ${s.type} · ${age(s.createdAt, view.now)} · ${s.sizeGb} GiB${progress}`;
  });
  const blocks: KnownBlock[] = [
    header(`Backups of ${view.instance} (${view.env})`),
    section(
      newest
        ? `${tone === 'ok' ? ':large_green_circle:' : ':large_yellow_circle:'} Newest available snapshot is *${age(newest.createdAt, view.now)}*${tone === 'warning' ? ' — older than 2 days' : ''}`
        : ':red_circle: *No available snapshot* — take one with `/ops backup`',
    ),
  ];
  if (lines.length) blocks.push(section(lines.join('\n') + (more ? `\n${more}` : '')));
  blocks.push(section(verificationLine(view.lastVerified, view.lastAttempt, view.now)));
  blocks.push(
    context(
      `env *${view.env}* · ${view.snapshots.length} snapshot(s) · restore one with \`/ops restore ${view.env} <snapshot>\``,
    ),
  );
  return {
    text: `${view.snapshots.length} snapshots of ${view.instance}${newest ? `, newest ${age(newest.createdAt, view.now)}` : ', none available'}`,
    tone: newest ? tone : 'danger',
    blocks,
  };
}

function verificationLine(ok: VerificationView | undefined, last: VerificationView | undefined, now: Date): string {
  if (!last) return ':grey_question: No backup has been verified yet: `/ops backup verify`';
  if (last.ok)
    return `:white_check_mark: Last verified ${age(last.finishedAt, now)} (${last.method}: ${escapeMrkdwn(last.source)})`;
  return `:x: Last verification ${age(last.finishedAt, now)} failed: ${escapeMrkdwn(last.summary)}${ok ? ` · last passing one ${age(ok.finishedAt, now)}` : ''}`;
}

export function snapshotJobTitle(env: string, id: string): string {
  return `Backup ${env}: snapshot ${id}`;
}

export function renderSnapshotDone(env: string, snap: SnapshotView): Reply {
  return {
    text: `Snapshot ${snap.id} of ${snap.instance} is available (${snap.sizeGb} GiB)`,
    tone: 'ok',
    blocks: [
      section(
        `:floppy_disk: *Snapshot \`${escapeMrkdwn(snap.id)}\` is available* — ${snap.sizeGb} GiB of \`${escapeMrkdwn(snap.instance)}\``,
      ),
      context(
        `env *${env}* · restore it with \`/ops restore ${env} ${snap.id}\` · see all with \`/ops backup list ${env}\``,
      ),
    ],
  };
}

export function restoreEffect(
  snapshot: string,
  snapshotAge: string,
  newId: string,
  live: string,
  instanceClass?: string,
): string {
  return `RDS: creates a *new* instance \`${newId}\`${instanceClass ? ` (${instanceClass})` : ''} from snapshot \`${snapshot}\` (${snapshotAge}). The live instance \`${live}\` is not touched.`;
}

export function restoreJobTitle(env: string, snapshot: string): string {
  return `Restore ${env}: ${snapshot} to a new instance`;
}

export function renderRestoreDone(view: {
  env: string;
  snapshot: string;
  newId: string;
  live: string;
  endpoint: { address: string; port: number };
}): Reply {
  const endpoint = `${view.endpoint.address}:${view.endpoint.port}`;
  return {
    text: `Restored ${view.snapshot} to new instance ${view.newId} at ${endpoint}`,
    tone: 'ok',
    blocks: [
      section(
        `:white_check_mark: *Restored \`${escapeMrkdwn(view.snapshot)}\` to the new instance \`${view.newId}\`*\nEndpoint: \`${endpoint}\``,
      ),
      section(
        `*To point the app at it*: change the host in its \`DATABASE_URL\` from the \`${escapeMrkdwn(view.live)}\` endpoint to \`${view.endpoint.address}\` ` +
          `(Beanstalk environment properties or the ECS task definition), deploy, then check with \`/ops health ${view.env}\`. ` +
          `The live instance \`${escapeMrkdwn(view.live)}\` was not changed; delete whichever instance you no longer need in the RDS console.`,
      ),
      context(`env *${view.env}*`),
    ],
  };
}

export function verifyJobTitle(env: string, method: 'logical' | 'snapshot'): string {
  return `Verify backup ${env} (${method === 'logical' ? 'pg_dump restore' : 'latest snapshot'})`;
}

function checkLines(view: VerificationView, esc: (t: string) => string): string[] {
  return view.checks
    .slice(0, 15)
    .map(
      (c) =>
        `${c.ok ? '✓' : '✗'} ${esc(c.table)}: ${c.restored ?? '—'} restored${c.live !== null ? ` / ${c.live} live` : ''}${c.note ? ` (${esc(c.note)})` : ''}`,
    );
}

export function renderVerificationDone(view: VerificationView): Reply {
  const lines = checkLines(view, escapeMrkdwn);
  const blocks: KnownBlock[] = [
    section(
      `:white_check_mark: *Backup verified* — ${escapeMrkdwn(view.summary)}\nSource: \`${escapeMrkdwn(view.source)}\``,
    ),
  ];
  if (lines.length) blocks.push(section('```' + lines.join('\n') + '```'));
  blocks.push(
    context(
      `env *${view.env}* · ${view.cleanup ? escapeMrkdwn(view.cleanup) : 'nothing to clean up'} · recorded for \`/ops checklist\` and \`/ops status\``,
    ),
  );
  return { text: `Backup of ${view.env} verified: ${view.summary}`, tone: 'ok', blocks };
}

/** A failed verification fails its job with this message (the job machinery escapes it). */
export function verificationFailure(view: VerificationView): { message: string; hint: string } {
  return {
    message: `Backup verification of ${view.env} failed: ${view.summary}`,
    hint: [`Source: ${view.source}`, ...checkLines(view, (t) => t), view.cleanup ? `Cleanup: ${view.cleanup}` : '']
      .filter(Boolean)
      .join('\n'),
  };
}
