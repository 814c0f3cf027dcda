import { formatDuration } from '../duration.js';
import { DockerError } from './errors.js';
import type { DockerEngine } from './engine.js';
import { healthOf, inspectContainer, projectContainers, type ContainerHealth } from './services.js';

export interface RestartOptions {
  /** Give up following after this long; default 2 minutes. */
  deadlineMs?: number;
  pollMs?: number;
  /** Seconds the engine waits for a clean stop before it kills (docker restart -t); default 10. */
  stopTimeoutS?: number;
  onProgress?: (note: string) => void | Promise<void>;
}

export interface RestartedContainer {
  name: string;
  state: string;
  health: ContainerHealth;
  /** From the restart request until running (and healthy where it has a health check). */
  tookMs: number;
}

export interface RestartResult {
  service: string;
  containers: RestartedContainer[];
  durationMs: number;
}

/**
 * `docker compose restart <service>`: restarts every container of the service,
 * then follows each until it runs again, and, where it has a health check,
 * until it is healthy. Throws a DockerError when one exits, turns unhealthy, or
 * the deadline passes first.
 */
export async function restartService(
  engine: DockerEngine,
  service: string,
  opts: RestartOptions = {},
): Promise<RestartResult> {
  const started = Date.now();
  const deadline = started + (opts.deadlineMs ?? 120_000);
  const stopTimeout = opts.stopTimeoutS ?? 10;
  const containers = await projectContainers(engine, service);
  const results = await Promise.all(
    containers.map(async (info) => {
      const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
      const before = (await inspectContainer(engine, info.Id)).State.StartedAt;
      await opts.onProgress?.(`restarting ${name}`);
      await engine.call(
        `restarting ${name}`,
        (docker, abortSignal) => docker.getContainer(info.Id).restart({ t: stopTimeout, abortSignal }),
        engine.timeoutMs + stopTimeout * 1000,
      );
      return followUntilUp(engine, info.Id, name, before, started, deadline, opts);
    }),
  );
  return { service, containers: results, durationMs: Date.now() - started };
}

async function followUntilUp(
  engine: DockerEngine,
  id: string,
  name: string,
  before: string,
  started: number,
  deadline: number,
  opts: RestartOptions,
): Promise<RestartedContainer> {
  let lastNote = '';
  for (;;) {
    const detail = await inspectContainer(engine, id);
    const state = detail.State;
    const health = healthOf(detail);
    const fresh = state.StartedAt !== before;
    if (fresh && !state.Running && !state.Restarting && state.Status !== 'created')
      throw new DockerError(
        'failed',
        `${name} exited (code ${state.ExitCode}) after the restart${state.Error ? `: ${state.Error}` : ''}.`,
        `See why with \`/ops logs --service ${detail.Config.Labels['com.docker.compose.service'] ?? name} --since 5m\`.`,
      );
    if (fresh && state.Running && health === 'unhealthy')
      throw new DockerError(
        'failed',
        `${name} runs again but its health check fails: ${lastHealthOutput(detail) || 'no output'}.`,
        'Look at its logs; the engine keeps restarting it only if it has a restart policy.',
      );
    if (fresh && state.Running && (health === 'none' || health === 'healthy'))
      return { name, state: state.Status, health, tookMs: Date.now() - started };
    const note = `${name}: ${state.Status}${health !== 'none' ? `, ${health}` : ''}`;
    if (note !== lastNote) await opts.onProgress?.(note);
    lastNote = note;
    if (Date.now() >= deadline)
      throw new DockerError(
        'timeout',
        `${name} was not ${health === 'none' ? 'running' : 'healthy'} ${formatDuration(deadline - started)} after the restart (now ${state.Status}${health !== 'none' ? `, ${health}` : ''}).`,
        'It may still come up: check again with `/ops status`, and look at its logs.',
      );
    await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 1000, Math.max(0, deadline - Date.now()))));
  }
}

function lastHealthOutput(detail: { State: { Health?: { Log?: { Output?: string }[] } } }): string {
  const log = detail.State.Health?.Log ?? [];
  return (log[log.length - 1]?.Output ?? '').trim().slice(0, 200);
}
