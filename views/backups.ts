import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';

export { renderSnapshotList, age, type SnapshotView, type VerificationView } from './backup-list.js';
import { type SnapshotView, type VerificationView } from './backup-list.js';

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
