import type { CommandContext } from '../../src/core/context.js';
import type { DockerEngine } from '../../src/docker/engine.js';
import type { ComposeService } from '../../src/docker/services.js';
import type { Pm2Process } from '../../src/pm2/processes.js';
import { listServices } from '../../src/docker/services.js';
import { listProcesses } from '../../src/pm2/processes.js';
import type { Pm2Daemon } from '../../src/pm2/daemon.js';
import { UserError, requireUnchanged } from '../../src/errors.js';

/** What one /ops restart of a self-hosted environment restarts: a compose service or a pm2 process. */
export type SelfHostedRestartTarget =
  | { kind: 'compose'; project: string; host: string; service: string; containers: string[] }
  | { kind: 'pm2'; home: string; process: string; instances: number };

/**
 * One container or pm2 instance as it ran when the restart was asked for: a
 * container by id and start time, a pm2 instance by pm_id, pid and restart
 * count. Another restart, a crash or a recreate in between changes it.
 */
export interface RunningUnit {
  id: string;
  name: string;
  startedAt?: string;
  pid?: number;
  restarts: number;
}

export interface RestartChoice {
  target: SelfHostedRestartTarget;
  running: RunningUnit[];
}

export function composeUnits(service: ComposeService): RunningUnit[] {
  return service.containers.map((c) => ({
    id: c.id,
    name: c.name,
    startedAt: c.startedAt?.toISOString(),
    restarts: c.restarts,
  }));
}

export function pm2Units(processes: Pm2Process[]): RunningUnit[] {
  return processes.map((p) => ({ id: String(p.id), name: `${p.name}#${p.id}`, pid: p.pid, restarts: p.restarts }));
}

/** The unit as one comparable word: what the precondition shows and the job compares. */
export function unitKey(u: RunningUnit): string {
  return u.pid !== undefined || !u.startedAt
    ? `${u.name} pid ${u.pid ?? 'none'} restarts ${u.restarts}`
    : `${u.name} ${u.id.slice(0, 12)} started ${u.startedAt}`;
}

export function describeRunning(running: RunningUnit[]): string {
  return running.map(unitKey).join('; ') || 'nothing running';
}

/**
 * The one decision of what to restart: the named compose service or pm2
 * process, or the only one there is; a wrong or missing name says which exist.
 */
export async function chooseRestart(ctx: CommandContext, service?: string): Promise<RestartChoice> {
  const { docker, pm2 } = ctx.env;
  const names: string[] = [];
  if (docker) {
    const services = await listServices(ctx.docker());
    const pick = service ? services.find((s) => s.name === service) : services.length === 1 ? services[0] : undefined;
    if (pick)
      return {
        target: {
          kind: 'compose',
          project: docker.project,
          host: docker.host,
          service: pick.name,
          containers: pick.containers.map((c) => c.name),
        },
        running: composeUnits(pick),
      };
    names.push(...services.map((s) => `${s.name} (compose)`));
  }
  if (pm2) {
    const daemon = ctx.pm2();
    const processes = await listProcesses(daemon);
    const distinct = [...new Set(processes.map((p) => p.name))];
    const pick = service
      ? distinct.find((n) => n === service)
      : !docker && distinct.length === 1
        ? distinct[0]
        : undefined;
    if (pick) {
      const mine = processes.filter((p) => p.name === pick);
      return {
        target: { kind: 'pm2', home: daemon.home, process: pick, instances: mine.length },
        running: pm2Units(mine),
      };
    }
    names.push(...distinct.map((n) => `${n} (pm2)`));
  }
  const shown = [...new Set(names)].join(', ') || 'none';
  throw new UserError(
    service
      ? `\`${ctx.envName}\` has no compose service or pm2 process \`${service}\`.`
      : `Which one? \`${ctx.envName}\` runs more than one service.`,
    `Name it with \`/ops restart ${ctx.envName} --service <name>\`; there are: ${shown}.`,
  );
}

/** The units running now, from the live engine or daemon, in the same shape as the plan's. */
export async function runningNow(
  target: SelfHostedRestartTarget,
  source: { engine?: DockerEngine; daemon?: Pm2Daemon },
): Promise<RunningUnit[]> {
  if (target.kind === 'compose') {
    const services = await listServices(source.engine!);
    const mine = services.find((s) => s.name === target.service);
    return mine ? composeUnits(mine) : [];
  }
  const processes = await listProcesses(source.daemon!);
  return pm2Units(processes.filter((p) => p.name === target.process));
}

/** Refuses (PlanChangedError) when what runs now is not what ran when the restart was approved. */
export function requireSameUnits(env: string, name: string, planned: RunningUnit[], now: RunningUnit[]): void {
  const was = planned.map(unitKey).sort();
  const is = now.map(unitKey).sort();
  const same = was.length === is.length && was.every((k, i) => k === is[i]);
  requireUnchanged(
    same,
    `\`${name}\` in ${env} changed since the restart was approved (then: ${describeRunning(planned)}; now: ${describeRunning(now)}); nothing was restarted.`,
    `It was restarted, recreated or crashed in between. Look with \`/ops status ${env}\`, then ask again with \`/ops restart ${env} --service ${name}\`.`,
  );
}
