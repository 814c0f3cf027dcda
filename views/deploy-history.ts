import { context, escapeMrkdwn, section, truncate, type KnownBlock } from './blocks.js';
import { ago, failedPartLine, footer } from './aws-common.js';
import type { Reply, Tone } from './reply.js';
import { dataTable } from './table.js';

export interface EbHistoryView {
  application: string;
  environment: string;
  live: { ok: true; value: { versionLabel?: string; status: string } } | { ok: false; error: string };
  versions:
    | { ok: true; value: { label: string; description?: string; createdAt?: Date; status?: string }[] }
    | { ok: false; error: string };
  rollbackTo?: string;
}

export interface EcsRevisionView {
  revision: number;
  arn: string;
  registeredAt?: Date;
  images: string[];
}

export interface EcsServiceHistoryView {
  service: string;
  /** "web:42" */
  running: string;
  family: string;
  revision: number;
  /** The newest deployment when it has not completed: rolling out, or failed. */
  inFlight?: { taskDefinition: string; state: string };
  rollbackTo?: number;
}

export interface EcsHistoryView {
  cluster: string;
  services: { ok: true; value: EcsServiceHistoryView[] } | { ok: false; error: string };
  /** Revisions per family, newest first. */
  families: Record<string, { ok: true; value: EcsRevisionView[] } | { ok: false; error: string }>;
  missing: string[];
}

export interface DeployHistoryView {
  env: string;
  region?: string;
  checkedAt: Date;
  tookMs: number;
  beanstalk?: EbHistoryView;
  ecs?: EcsHistoryView;
  notes: string[];
}

function imageTag(image: string): string {
  return image.split('/').pop() ?? image;
}

function ebBlocks(eb: EbHistoryView, now: Date): { blocks: KnownBlock[]; summary: string; tone: Tone } {
  if (!eb.versions.ok)
    return {
      blocks: [section(failedPartLine(`Beanstalk versions of ${eb.application}`, eb.versions.error))],
      summary: 'Beanstalk versions unavailable',
      tone: 'warning',
    };
  const live = eb.live.ok ? eb.live.value.versionLabel : undefined;
  const rows = eb.versions.value.map((v) => [
    v.label === live ? '▶ live' : v.label === eb.rollbackTo ? '↩ rollback target' : '',
    v.label,
    v.createdAt ? ago(v.createdAt, now) : '',
    v.status ?? '',
    v.description ? truncate(v.description, 80) : '',
  ]);
  const header = `*Elastic Beanstalk* \`${escapeMrkdwn(eb.environment)}\` (application \`${escapeMrkdwn(eb.application)}\`)`;
  const blocks: KnownBlock[] = rows.length
    ? [
        section(header),
        ...dataTable(
          [
            { header: 'state' },
            { header: 'version' },
            { header: 'created' },
            { header: 'status' },
            { header: 'description', wrap: true },
          ],
          rows,
        ),
      ]
    : [section(`${header}\n_no application versions_`)];
  if (!eb.live.ok) blocks.push(section(failedPartLine('live version', eb.live.error)));
  else if (live && !eb.versions.value.some((v) => v.label === live))
    blocks.push(context(`live version \`${escapeMrkdwn(live)}\` is older than the versions listed`));
  const summary = eb.rollbackTo
    ? `live \`${escapeMrkdwn(live ?? '?')}\`; a rollback would go back to \`${escapeMrkdwn(eb.rollbackTo)}\``
    : `live \`${escapeMrkdwn(live ?? '?')}\`; no earlier version to roll back to`;
  return { blocks, summary, tone: eb.live.ok ? 'info' : 'warning' };
}

function ecsBlocks(ecs: EcsHistoryView, now: Date): { blocks: KnownBlock[]; summary: string; tone: Tone } {
  if (!ecs.services.ok)
    return {
      blocks: [section(failedPartLine(`ECS ${ecs.cluster}`, ecs.services.error))],
      summary: 'ECS services unavailable',
      tone: 'warning',
    };
  const blocks: KnownBlock[] = [];
  const summaries: string[] = [];
  let tone: Tone = 'info';
  for (const family of Object.keys(ecs.families)) {
    const users = ecs.services.value.filter((s) => s.family === family);
    const revisions = ecs.families[family];
    const head = `*ECS* task definition \`${escapeMrkdwn(family)}\` — used by ${users.map((u) => `*${escapeMrkdwn(u.service)}*`).join(', ')}`;
    if (!revisions.ok) {
      blocks.push(section(`${head}\n${failedPartLine('revisions', revisions.error)}`));
      tone = 'warning';
      continue;
    }
    const rows = revisions.value.map((r) => {
      const runners = users.filter((u) => u.revision === r.revision).map((u) => u.service);
      const targets = users.filter((u) => u.rollbackTo === r.revision).map((u) => u.service);
      const mark = runners.length ? `▶ running (${runners.join(', ')})` : targets.length ? '↩ rollback target' : '';
      return [
        mark,
        `${family}:${r.revision}`,
        r.registeredAt ? ago(r.registeredAt, now) : '',
        truncate(r.images.map(imageTag).join(', '), 120),
      ];
    });
    // One table a message (views/table.ts): a second family's revisions become aligned text.
    if (rows.length)
      blocks.push(
        section(head),
        ...dataTable(
          [{ header: 'state' }, { header: 'revision' }, { header: 'registered' }, { header: 'images', wrap: true }],
          rows,
        ),
      );
    else blocks.push(section(`${head}\n_no active revisions_`));
    for (const u of users) {
      if (u.inFlight) {
        const what =
          u.inFlight.state === 'FAILED'
            ? ':x: failed; tasks of the earlier revision may still be serving'
            : ':hourglass_flowing_sand: still rolling out';
        blocks.push(
          context(`${escapeMrkdwn(u.service)}: deployment of \`${escapeMrkdwn(u.inFlight.taskDefinition)}\` ${what}`),
        );
        tone = 'warning';
      }
      summaries.push(
        u.rollbackTo
          ? `${u.service} runs \`${u.running}\`; a rollback would go back to \`${family}:${u.rollbackTo}\``
          : `${u.service} runs \`${u.running}\`; no earlier active revision`,
      );
    }
  }
  for (const m of ecs.missing)
    blocks.push(
      section(
        `:red_circle: *${escapeMrkdwn(m)}* not found in cluster \`${escapeMrkdwn(ecs.cluster)}\`. Check \`ecs.services\` in ops.yml.`,
      ),
    );
  return { blocks, summary: escapeMrkdwn(summaries.join('; ')), tone: ecs.missing.length ? 'warning' : tone };
}

/** `/ops deploy history`: versions or revisions, which one is live, and what a rollback would go back to. */
export function renderDeployHistory(view: DeployHistoryView): Reply {
  const parts = [
    view.beanstalk && ebBlocks(view.beanstalk, view.checkedAt),
    view.ecs && ecsBlocks(view.ecs, view.checkedAt),
  ].filter((p): p is NonNullable<typeof p> => Boolean(p));
  const tone: Tone = parts.some((p) => p.tone === 'warning') ? 'warning' : 'info';
  const verdict = `:package: *${view.env} deploy history* — ${parts.map((p) => p.summary).join(' · ')}`;
  const blocks: KnownBlock[] = [section(verdict), ...parts.flatMap((p) => p.blocks)];
  blocks.push(
    context(
      `\`/ops rollback ${view.env}\` asks for approval first · ${footer(view.env, view.region, view.checkedAt, view.tookMs)}`,
      ...view.notes.map(escapeMrkdwn),
    ),
  );
  return {
    text: `${view.env} deploy history: ${parts.map((p) => p.summary.replace(/`/g, '')).join('; ')}`,
    tone,
    blocks,
  };
}
