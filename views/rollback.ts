import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';

/** A followed rollout (rollback or restart) as the job reports it. */
export interface RolloutView {
  action: 'rollback' | 'restart' | 'rebuild';
  env: string;
  /** "Elastic Beanstalk `prod-env`" or "ECS service `backend`". */
  target: string;
  from?: string;
  to?: string;
  ok: boolean;
  state: string;
  reason?: string;
  events: { at?: Date; severity?: string; message: string }[];
  stoppedTasks?: {
    id: string;
    stoppedReason?: string;
    containers: { name: string; exitCode?: number; reason?: string }[];
  }[];
}

export function rollbackEffect(target: string, from: string, to: string): string {
  return `${target}: \`${from}\` → \`${to}\``;
}

export function rollbackJobTitle(env: string, target: string, to: string): string {
  return `Rollback ${env}: ${target.replace(/`/g, '')} to ${to}`;
}

export function restartEffect(target: string, kind: 'beanstalk' | 'ecs'): string {
  return kind === 'beanstalk'
    ? `${target}: restarts the application server on every instance (RestartAppServer)`
    : `${target}: replaces every task with a fresh one (force new deployment)`;
}

export function restartJobTitle(env: string, target: string): string {
  return `Restart ${env}: ${target.replace(/`/g, '')}`;
}

/** `esc` is off for failure text: the job machinery escapes that itself. */
function eventLines(view: RolloutView, max = 6, esc: (t: string) => string = escapeMrkdwn): string[] {
  return view.events.slice(0, max).map((e) => {
    const at = e.at ? `${e.at.toISOString().slice(11, 19)} ` : '';
    const icon =
      e.severity === 'ERROR' || e.severity === 'FATAL'
        ? ':red_circle: '
        : e.severity === 'WARN'
          ? ':large_yellow_circle: '
          : '';
    return `• ${icon}${at}${e.severity && e.severity !== 'INFO' ? `${e.severity} ` : ''}${esc(e.message)}`;
  });
}

function stoppedLines(view: RolloutView, esc: (t: string) => string = escapeMrkdwn): string[] {
  return (view.stoppedTasks ?? []).slice(0, 3).map((t) => {
    const containers = t.containers
      .filter((c) => c.exitCode !== undefined || c.reason)
      .map(
        (c) => `${c.name}${c.exitCode !== undefined ? ` exit ${c.exitCode}` : ''}${c.reason ? ` (${c.reason})` : ''}`,
      );
    return `• task \`${t.id}\`: ${esc(t.stoppedReason ?? 'stopped')}${containers.length ? ` — ${esc(containers.join(', '))}` : ''}`;
  });
}

function what(view: RolloutView): string {
  if (view.action === 'rebuild') return `Rebuild of ${view.target}`;
  return view.action === 'rollback' ? `Rollback of ${view.target} to \`${view.to}\`` : `Restart of ${view.target}`;
}

/** The finished job: outcome first, then the final state and AWS's events. */
export function renderRolloutDone(view: RolloutView): Reply {
  const blocks: KnownBlock[] = [section(`:white_check_mark: *${what(view)} is done* — ${escapeMrkdwn(view.state)}`)];
  if (view.action === 'rollback' && view.from)
    blocks.push(
      section(
        `Was \`${view.from}\`, now \`${view.to}\`. To undo: \`/ops rollback ${view.env} ${view.from}${view.target.startsWith('ECS') ? ` --service ${view.target.split('`')[1]}` : ''}\``,
      ),
    );
  const events = eventLines(view, 4);
  if (events.length) blocks.push(section(`*Recent events*\n${events.join('\n')}`));
  blocks.push(context(`env *${view.env}*`));
  return { text: `${what(view).replace(/`/g, '')} done: ${view.state}`, tone: 'ok', blocks };
}

/** A rollout that ended unhealthy or FAILED: the job fails with this message and these details. */
export function rolloutFailure(view: RolloutView): { message: string; hint: string } {
  const message = `${what(view)} failed: ${view.reason ?? view.state}`;
  const lines = [`Final state: ${view.state}.`];
  const raw = (t: string) => t;
  const stopped = stoppedLines(view, raw);
  if (stopped.length) lines.push('*Why tasks stopped*', ...stopped);
  const events = eventLines(view, 6, raw);
  if (events.length) lines.push('*Events*', ...events);
  lines.push(
    view.action === 'rollback' && view.from
      ? `Look at \`/ops status ${view.env}\`; to go back: \`/ops rollback ${view.env} ${view.from}\`.`
      : `Look at \`/ops status ${view.env}\` and \`/ops logs ${view.env}\`.`,
  );
  return { message, hint: lines.join('\n') };
}
