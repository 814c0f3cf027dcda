import { escapeMrkdwn, section, context, type KnownBlock } from './blocks.js';
import { plural } from './aws-common.js';
import { formatAge } from './db-format.js';
import type { Reply } from './reply.js';

/** The shape commands/self-hosted/restart.ts decides (repeated here so the view stays pure). */
export type RestartTargetView =
  | { kind: 'compose'; project: string; host: string; service: string; containers: string[] }
  | { kind: 'pm2'; home: string; process: string; instances: number };

export function targetName(t: RestartTargetView): string {
  return t.kind === 'compose'
    ? `compose service \`${t.service}\` (project ${t.project})`
    : `pm2 process \`${t.process}\``;
}

export function selfHostedRestartTitle(env: string, t: RestartTargetView): string {
  return `Restart ${t.kind === 'compose' ? t.service : t.process} in ${env}`;
}

/** The approval card's line: what exactly restarts, where, and what "done" means. */
export function selfHostedRestartEffect(t: RestartTargetView): string {
  if (t.kind === 'compose')
    return `Restart ${targetName(t)} on ${t.host}: ${plural(t.containers.length, 'container')} (${t.containers.join(', ')}), each stopped (10 s grace) and started again, then followed until running and healthy where it has a health check`;
  return `\`pm2 restart ${t.process}\` (PM2_HOME ${t.home}): ${plural(t.instances, 'instance')}, followed until online and stable`;
}

export interface SelfHostedRestartDone {
  env: string;
  target: RestartTargetView;
  durationMs: number;
  units: { name: string; state: string; health?: string; tookMs?: number; pid?: number }[];
}

export function renderSelfHostedRestartDone(view: SelfHostedRestartDone): Reply {
  const what = targetName(view.target);
  const lines = view.units.map(
    (u) =>
      `• \`${escapeMrkdwn(u.name)}\` ${u.state}${u.health && u.health !== 'none' ? `, ${u.health}` : ''}${u.pid ? ` (pid ${u.pid})` : ''}${u.tookMs !== undefined ? ` after ${formatAge(u.tookMs)}` : ''}`,
  );
  const blocks: KnownBlock[] = [
    section(
      `:large_green_circle: *Restart of ${what} in ${escapeMrkdwn(view.env)} is done* in ${formatAge(view.durationMs)}`,
    ),
    section(lines.join('\n') || '_no instances_'),
    context(
      `See it with \`/ops status ${view.env}\` · logs: \`/ops logs ${view.env} --service ${view.target.kind === 'compose' ? view.target.service : view.target.process} --since 5m\``,
    ),
  ];
  return { text: `Restart of ${what} in ${view.env} is done`, tone: 'ok', blocks };
}
