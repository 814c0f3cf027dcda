import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { drLastLine, type DrLastView } from './dr-test.js';
import { TONE_ICON, footer, worstTone, type Finding } from './aws-common.js';
import type { Reply, Tone } from './reply.js';
import { beanstalkBlocks, judgeBeanstalk, type EbStatusView } from './status-beanstalk.js';
import { ecsBlocks, judgeEcsService, type EcsStatusView } from './status-ecs.js';
import { judgeRds, rdsBlocks, type RdsStatusView } from './status-rds.js';

export interface StatusView {
  env: string;
  region?: string;
  checkedAt: Date;
  tookMs: number;
  notes: string[];
  beanstalk?: EbStatusView;
  ecs?: EcsStatusView;
  rds?: RdsStatusView;
  /** The last /ops dr test (null: none recorded; absent: not known, so not shown). */
  lastDrTest?: DrLastView | null;
}

/** `/ops status`: overall verdict first, each degraded item saying why, then EB, ECS and RDS. */
export function renderStatus(view: StatusView): Reply {
  const findings: Finding[] = [];
  if (view.beanstalk) findings.push(judgeBeanstalk(view.beanstalk));
  if (view.ecs) {
    if (!view.ecs.services.ok) findings.push({ tone: 'warning', reason: 'ECS could not be checked' });
    else {
      findings.push(...view.ecs.services.value.services.map(judgeEcsService));
      findings.push(
        ...view.ecs.services.value.missing.map((m) => ({
          tone: 'danger' as Tone,
          reason: `ECS service ${m.name} not found`,
        })),
      );
    }
  }
  if (view.rds) findings.push(judgeRds(view.rds));
  const tone = worstTone(findings.map((f) => f.tone));
  const reasons = findings.filter((f) => f.reason).map((f) => f.reason!);
  const verdict =
    tone === 'ok'
      ? `${TONE_ICON.ok} *${view.env} is healthy* — ${[view.beanstalk && 'Beanstalk green', view.ecs && 'ECS services steady', view.rds && 'RDS available'].filter(Boolean).join(' · ')}`
      : `${TONE_ICON[tone]} *${view.env} is ${tone === 'danger' ? 'degraded' : 'not all well'}* — ${escapeMrkdwn(reasons.join('; '))}`;
  const now = view.checkedAt;
  const blocks: KnownBlock[] = [section(verdict)];
  if (view.beanstalk) blocks.push(...beanstalkBlocks(view.beanstalk, now));
  if (view.ecs) blocks.push(...ecsBlocks(view.ecs, now));
  if (view.rds) blocks.push(...rdsBlocks(view.rds));
  if (view.lastDrTest !== undefined) blocks.push(context(drLastLine(view.lastDrTest ?? undefined, now, view.env)));
  blocks.push(context(footer(view.env, view.region, view.checkedAt, view.tookMs), ...view.notes.map(escapeMrkdwn)));
  const text = tone === 'ok' ? `${view.env} is healthy` : `${view.env}: ${reasons.join('; ')}`;
  return { text, tone, blocks };
}
