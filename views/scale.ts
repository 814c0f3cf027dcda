import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';

export interface ScaleView {
  env: string;
  /** "Elastic Beanstalk `prod-env`" or "ECS service `backend`". */
  target: string;
  kind: 'beanstalk' | 'ecs';
  from: number;
  to: number;
  running: number;
  events: string[];
}

const unit = (kind: ScaleView['kind'], n: number) =>
  kind === 'ecs' ? (n === 1 ? 'task' : 'tasks') : n === 1 ? 'instance' : 'instances';

export function scaleEffect(target: string, kind: ScaleView['kind'], from: number, to: number): string {
  const how = kind === 'ecs' ? 'desired count' : 'instances (Auto Scaling min = max)';
  const warning = to === 0 ? ' — *nothing will serve traffic*' : to < from ? ' — fewer to serve traffic' : '';
  return `${target} ${how} ${from} → ${to}${warning}`;
}

export function scaleJobTitle(env: string, target: string, to: number): string {
  return `Scale ${env}: ${target.replace(/`/g, '')} to ${to}`;
}

/** A bar of squares, one per instance or task, so the new size is seen at a glance. */
function squares(n: number): string {
  return n === 0 ? '∅' : n > 20 ? `${'■'.repeat(20)}…` : '■'.repeat(n);
}

export function renderScaleDone(view: ScaleView): Reply {
  const direction = view.to > view.from ? ':arrow_up:' : view.to < view.from ? ':arrow_down:' : ':left_right_arrow:';
  const blocks: KnownBlock[] = [
    section(
      `${direction} *${view.target} scaled ${view.from} → ${view.to}* — ${view.running} ${unit(view.kind, view.running)} in service`,
    ),
    section(`\`${squares(view.from)}\` → \`${squares(view.to)}\``),
  ];
  if (view.events.length)
    blocks.push(
      section(
        `*Recent events*\n${view.events
          .slice(0, 3)
          .map((e) => `• ${escapeMrkdwn(e)}`)
          .join('\n')}`,
      ),
    );
  blocks.push(
    context(
      `env *${view.env}*${view.to === 0 ? ' · scaled to zero: bring it back with `/ops scale ' + view.env + ' ' + view.from + '`' : ''}`,
    ),
  );
  return {
    text: `${view.target.replace(/`/g, '')} scaled ${view.from} → ${view.to}`,
    tone: view.to === 0 ? 'warning' : 'ok',
    blocks,
  };
}
