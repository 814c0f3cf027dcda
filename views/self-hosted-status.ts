import type { ComposeService, ServiceContainer } from '../src/docker/services.js';
import type { Pm2Process } from '../src/pm2/processes.js';
import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, failedPartLine, plural, stamp, worstTone, type Part } from './aws-common.js';
import { cell, formatAge, formatBytes, tableSections } from './db-format.js';
import type { Reply, Tone } from './reply.js';

export interface SelfHostedStatusView {
  env: string;
  checkedAt: Date;
  tookMs: number;
  docker?: { host: string; project: string; services: Part<ComposeService[]> };
  pm2?: { home: string; processes: Part<Pm2Process[]> };
}

/** Restarts the engine or pm2 counted that make a row yellow although it runs now. */
export const RESTARTS_WARN = 3;

export interface Judged {
  tone: Tone;
  /** Why it is not green; empty when it is. */
  problem?: string;
}

/** One container: green when running (and healthy where it has a check), red when exited, dead, restarting or unhealthy. */
export function judgeContainer(c: ServiceContainer): Judged {
  if (c.state === 'running') {
    if (c.health === 'unhealthy') return { tone: 'danger', problem: `${c.name} is unhealthy` };
    if (c.health === 'starting') return { tone: 'warning', problem: `${c.name} is still starting (health check)` };
    if (c.restarts >= RESTARTS_WARN) return { tone: 'warning', problem: `${c.name} restarted ${c.restarts} times` };
    return { tone: 'ok' };
  }
  if (c.state === 'paused' || c.state === 'created') return { tone: 'warning', problem: `${c.name} is ${c.state}` };
  const code = c.exitCode !== undefined ? ` (exit ${c.exitCode})` : '';
  return { tone: 'danger', problem: `${c.name} is ${c.state}${code}` };
}

/** One pm2 process: green online, red errored or stopped, yellow while launching or after crash loops. */
export function judgeProcess(p: Pm2Process): Judged {
  if (p.status === 'online') {
    if (p.unstableRestarts > 0)
      return { tone: 'warning', problem: `${p.name} crashed ${plural(p.unstableRestarts, 'time')} right after start` };
    if (p.restarts >= RESTARTS_WARN) return { tone: 'warning', problem: `${p.name} restarted ${p.restarts} times` };
    return { tone: 'ok' };
  }
  if (p.status === 'launching' || p.status === 'stopping')
    return { tone: 'warning', problem: `${p.name} is ${p.status}` };
  return { tone: 'danger', problem: `${p.name} is ${p.status}` };
}

const uptime = (ms: number | undefined) => (ms === undefined ? '—' : formatAge(ms));

function composeBlocks(view: NonNullable<SelfHostedStatusView['docker']>, judged: Judged[]): KnownBlock[] {
  const title = `*Docker Compose* \`${escapeMrkdwn(view.project)}\` on ${escapeMrkdwn(view.host)}`;
  if (!view.services.ok) return [section(failedPartLine(`Compose project ${view.project}`, view.services.error))];
  const containers = view.services.value.flatMap((s) => s.containers);
  const rows = containers.map((c, i) => [
    judged[i].tone === 'ok' ? '✓' : judged[i].tone === 'warning' ? '!' : '✗',
    cell(c.service, 20),
    cell(c.name, 28),
    c.state,
    c.health === 'none' ? '—' : c.health,
    String(c.restarts),
    uptime(c.uptimeMs),
    cell(c.image, 30),
    cell(c.ports.join(', ') || '—', 30),
  ]);
  return [
    section(`${title}: ${plural(view.services.value.length, 'service')}, ${plural(containers.length, 'container')}`),
    ...tableSections(['', 'SERVICE', 'CONTAINER', 'STATE', 'HEALTH', 'RESTARTS', 'UPTIME', 'IMAGE', 'PORTS'], rows, [
      'l',
      'l',
      'l',
      'l',
      'l',
      'r',
      'r',
    ]),
  ];
}

function pm2Blocks(view: NonNullable<SelfHostedStatusView['pm2']>, judged: Judged[]): KnownBlock[] {
  if (!view.processes.ok) return [section(failedPartLine('pm2', view.processes.error))];
  const rows = view.processes.value.map((p, i) => [
    judged[i].tone === 'ok' ? '✓' : judged[i].tone === 'warning' ? '!' : '✗',
    cell(p.name, 24),
    String(p.id),
    p.status,
    String(p.restarts),
    uptime(p.uptimeMs),
    `${p.cpuPercent}%`,
    formatBytes(p.memoryBytes),
  ]);
  return [
    section(`*pm2* (PM2_HOME ${escapeMrkdwn(view.home)}): ${plural(rows.length, 'process', 'processes')}`),
    ...(rows.length
      ? tableSections(['', 'PROCESS', 'ID', 'STATUS', 'RESTARTS', 'UPTIME', 'CPU', 'MEMORY'], rows, [
          'l',
          'l',
          'r',
          'l',
          'r',
          'r',
          'r',
          'r',
        ])
      : [section('_no processes_')]),
  ];
}

/** `/ops status` of a docker-compose and/or pm2 environment: verdict first, from the same rows as the tables. */
export function renderSelfHostedStatus(view: SelfHostedStatusView): Reply {
  const containers = view.docker?.services.ok ? view.docker.services.value.flatMap((s) => s.containers) : [];
  const processes = view.pm2?.processes.ok ? view.pm2.processes.value : [];
  const cJudged = containers.map(judgeContainer);
  const pJudged = processes.map(judgeProcess);
  const failedParts = [
    view.docker && !view.docker.services.ok ? 'Docker Engine' : undefined,
    view.pm2 && !view.pm2.processes.ok ? 'pm2' : undefined,
  ].filter((p): p is string => Boolean(p));
  const problems = [...cJudged, ...pJudged].filter((j) => j.problem).map((j) => j.problem!);
  const tone = worstTone([
    ...cJudged.map((j) => j.tone),
    ...pJudged.map((j) => j.tone),
    ...failedParts.map((): Tone => 'danger'),
    view.pm2?.processes.ok && processes.length === 0 ? 'warning' : 'ok',
  ]);
  const counts: string[] = [];
  if (view.docker?.services.ok)
    counts.push(`${cJudged.filter((j) => j.tone === 'ok').length}/${containers.length} containers up`);
  if (view.pm2?.processes.ok)
    counts.push(`${pJudged.filter((j) => j.tone === 'ok').length}/${processes.length} pm2 processes online`);
  const headline =
    tone === 'ok'
      ? `${view.env} is healthy`
      : [...problems, ...failedParts.map((p) => `${p} could not be checked`)].join('; ') ||
        `${view.env}: no pm2 processes`;
  const verdict = `${TONE_ICON[tone]} *${escapeMrkdwn(view.env)}: ${escapeMrkdwn(headline)}*${counts.length ? ` — ${counts.join(', ')}` : ''}`;
  const blocks: KnownBlock[] = [section(verdict)];
  if (view.docker) blocks.push(...composeBlocks(view.docker, cJudged));
  if (view.pm2) blocks.push(...pm2Blocks(view.pm2, pJudged));
  blocks.push(
    context(
      `env *${escapeMrkdwn(view.env)}* · ${stamp(view.checkedAt)} · answered in ${(view.tookMs / 1000).toFixed(1)}s`,
    ),
  );
  return { text: `${view.env}: ${headline}`, tone, blocks };
}
