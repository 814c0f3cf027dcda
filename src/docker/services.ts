import type Docker from 'dockerode';
import { DockerError } from './errors.js';
import { NUMBER_LABEL, PROJECT_LABEL, SERVICE_LABEL, type DockerEngine } from './engine.js';

export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ServiceContainer {
  id: string;
  name: string;
  service: string;
  /** docker-compose's replica number (1 for a single container). */
  number: number;
  /** created, running, paused, restarting, removing, exited, dead */
  state: string;
  health: ContainerHealth;
  exitCode?: number;
  restarts: number;
  startedAt?: Date;
  uptimeMs?: number;
  image: string;
  /** "0.0.0.0:8080->80/tcp", or "80/tcp" when not published. */
  ports: string[];
}

export interface ComposeService {
  name: string;
  containers: ServiceContainer[];
}

/** Raw containers of the engine's project (stopped ones too), optionally of one service; throws when there are none. */
export async function projectContainers(engine: DockerEngine, service?: string): Promise<Docker.ContainerInfo[]> {
  const all = await engine.call(`listing the containers of project ${engine.project}`, (docker, abortSignal) =>
    docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${engine.project}`] }, abortSignal }),
  );
  if (all.length === 0) {
    const known = await knownProjects(engine);
    throw new DockerError(
      'unknown-project',
      `The Docker Engine at ${engine.host} has no containers of compose project \`${engine.project}\`.`,
      known.length
        ? `Projects it has: ${known.join(', ')}. Set environments.<env>.docker.project to one of them (the com.docker.compose.project label).`
        : 'It runs no compose project at all: start it with `docker compose up -d`, or point docker.host at the right engine.',
    );
  }
  if (service === undefined) return all;
  const mine = all.filter((c) => c.Labels[SERVICE_LABEL] === service);
  if (mine.length === 0) {
    const names = [...new Set(all.map((c) => c.Labels[SERVICE_LABEL]).filter(Boolean))].sort();
    throw new DockerError(
      'unknown-service',
      `Compose project \`${engine.project}\` has no service \`${service}\`.`,
      `Its services: ${names.join(', ')}.`,
    );
  }
  return mine;
}

async function knownProjects(engine: DockerEngine): Promise<string[]> {
  const labelled = await engine.call('listing compose projects', (docker, abortSignal) =>
    docker.listContainers({ all: true, filters: { label: [PROJECT_LABEL] }, abortSignal }),
  );
  return [...new Set(labelled.map((c) => c.Labels[PROJECT_LABEL]))].sort();
}

/** Every service of the project with its containers' state, health, restarts, uptime, image and ports. */
export async function listServices(engine: DockerEngine, now = new Date()): Promise<ComposeService[]> {
  const infos = await projectContainers(engine);
  const containers = await Promise.all(infos.map((info) => describeContainer(engine, info, now)));
  const byService = new Map<string, ServiceContainer[]>();
  for (const c of containers) byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => ({ name, containers: list.sort((a, b) => a.number - b.number) }));
}

export async function describeContainer(
  engine: DockerEngine,
  info: Docker.ContainerInfo,
  now = new Date(),
): Promise<ServiceContainer> {
  const detail = await inspectContainer(engine, info.Id);
  const state = detail.State;
  const running = state.Running;
  const startedAt = state.StartedAt && !state.StartedAt.startsWith('0001') ? new Date(state.StartedAt) : undefined;
  return {
    id: info.Id.slice(0, 12),
    name: (info.Names[0] ?? detail.Name).replace(/^\//, ''),
    service: info.Labels[SERVICE_LABEL] ?? '(none)',
    number: Number(info.Labels[NUMBER_LABEL] ?? 1),
    state: state.Status,
    health: healthOf(detail),
    exitCode: running ? undefined : state.ExitCode,
    restarts: detail.RestartCount ?? 0,
    startedAt,
    uptimeMs: running && startedAt ? Math.max(0, now.getTime() - startedAt.getTime()) : undefined,
    image: info.Image,
    ports: formatPorts(info.Ports ?? []),
  };
}

export function inspectContainer(engine: DockerEngine, id: string): Promise<Docker.ContainerInspectInfo> {
  return engine.call(`inspecting container ${id.slice(0, 12)}`, (docker, abortSignal) =>
    docker.getContainer(id).inspect({ abortSignal }),
  );
}

export function healthOf(detail: Docker.ContainerInspectInfo): ContainerHealth {
  const status = detail.State.Health?.Status;
  return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none';
}

function formatPorts(ports: Docker.Port[]): string[] {
  const seen = new Set<string>();
  for (const p of ports) {
    seen.add(
      p.PublicPort ? `${p.IP ?? '0.0.0.0'}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`,
    );
  }
  return [...seen];
}
