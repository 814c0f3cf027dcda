import { context, escapeMrkdwn, header, section, type KnownBlock } from './blocks.js';
import { takeWithMore } from './limits.js';
import { progressBar } from './progress.js';
import { age, type SnapshotView } from './backup-list.js';
import type { Reply } from './reply.js';

export function copyJobTitle(env: string, snapshot: string, region: string): string {
  return `Copy ${env}: ${snapshot} to ${region}`;
}

export function copyEffect(view: {
  snapshot: string;
  fromRegion: string;
  toRegion: string;
  copyId: string;
  encrypted: boolean;
  kmsKey?: string;
}): string {
  return (
    `RDS (${view.toRegion}): CopyDBSnapshot of \`${view.snapshot}\` from ${view.fromRegion} as \`${view.copyId}\`` +
    (view.encrypted ? `, re-encrypted with KMS key \`${view.kmsKey}\`` : ' (not encrypted)') +
    '. The source snapshot is not touched; the copy is billed as snapshot storage in the target region.'
  );
}

export function renderCopyDone(view: { env: string; region: string; copy: SnapshotView; source: string }): Reply {
  return {
    text: `Snapshot ${view.source} copied to ${view.region} as ${view.copy.id}`,
    tone: 'ok',
    blocks: [
      section(
        `:earth_africa: *Copied \`${escapeMrkdwn(view.source)}\` to ${view.region}* as \`${escapeMrkdwn(view.copy.id)}\` (${view.copy.sizeGb} GiB, available)`,
      ),
      context(`env *${view.env}* · see the copies with \`/ops backup list ${view.env} --region ${view.region}\``),
    ],
  };
}

const ICON: Record<string, string> = {
  available: ':white_check_mark:',
  creating: ':hourglass_flowing_sand:',
  copying: ':hourglass_flowing_sand:',
  pending: ':hourglass_flowing_sand:',
  failed: ':x:',
};

/** `/ops backup list --region`: the instance's snapshots in another region (its cross-region copies), newest first. */
export function renderRegionCopies(view: {
  env: string;
  instance: string;
  region: string;
  snapshots: (SnapshotView & { sourceArn?: string })[];
  now: Date;
}): Reply {
  const { shown, more } = takeWithMore(view.snapshots, 20);
  const available = view.snapshots.filter((s) => s.status === 'available');
  const lines = shown.map((s) => {
    const moving = s.status !== 'available' && s.percent !== undefined ? ` \`${progressBar(s.percent)}\`` : '';
    const state = s.status !== 'available' ? ` _${escapeMrkdwn(s.status)}_` : '';
    const from = s.sourceArn ? ` · from ${escapeMrkdwn(s.sourceArn.split(':')[3] ?? '?')}` : '';
    return `${ICON[s.status] ?? ':grey_question:'} \`${escapeMrkdwn(s.id)}\` · ${age(s.createdAt, view.now)} · ${s.sizeGb} GiB${from}${state}${moving}`;
  });
  const verdict = available.length
    ? `:large_green_circle: ${available.length} available cop${available.length === 1 ? 'y' : 'ies'} in ${view.region}, newest ${age(available[0].createdAt, view.now)}`
    : `:red_circle: *No available copy in ${view.region}* — make one with \`/ops backup copy ${view.env} <snapshot> --to ${view.region}\``;
  const blocks: KnownBlock[] = [header(`Copies of ${view.instance} in ${view.region} (${view.env})`), section(verdict)];
  if (lines.length) blocks.push(section(lines.join('\n') + (more ? `\n${more}` : '')));
  blocks.push(context(`env *${view.env}* · region *${view.region}* · ${view.snapshots.length} snapshot(s)`));
  return {
    text: `${available.length} available copies of ${view.instance} in ${view.region}`,
    tone: available.length ? 'ok' : 'danger',
    verdict: available.length ? 'good' : 'bad',
    blocks,
  };
}
