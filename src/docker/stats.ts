import type Docker from 'dockerode';
import type { DockerEngine } from './engine.js';
import { SERVICE_LABEL } from './engine.js';
import { projectContainers } from './services.js';

export interface StatsSample {
  at: Date;
  cpuPercent: number;
  memoryBytes: number;
}

export interface ContainerStats {
  container: string;
  service: string;
  /** Latest sample: CPU as `docker stats` shows it (100 % = one core). */
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes?: number;
  memoryPercent?: number;
  /** Oldest first; one entry for a one-shot reading. */
  samples: StatsSample[];
}

export interface StatsQuery {
  /** Readings per container (for sparklines); default 1. */
  samples?: number;
  /** Pause between readings; default 2 s. */
  intervalMs?: number;
  service?: string;
}

/** CPU and memory of every running container of the project (or of one service). */
export async function serviceStats(engine: DockerEngine, query: StatsQuery = {}): Promise<ContainerStats[]> {
  const running = (await projectContainers(engine, query.service)).filter((c) => c.State === 'running');
  const count = Math.max(1, query.samples ?? 1);
  const readings = new Map<string, { info: Docker.ContainerInfo; raw: Docker.ContainerStats[] }>(
    running.map((info) => [info.Id, { info, raw: [] }]),
  );
  for (let i = 0; i < count; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, query.intervalMs ?? 2000));
    await Promise.all(
      running.map(async (info) => {
        const raw = await engine.call(
          `reading stats of ${info.Labels[SERVICE_LABEL] ?? info.Id}`,
          (docker, abortSignal) =>
            // dockerode honours abortSignal here too; its types only list stream and one-shot.
            docker.getContainer(info.Id).stats({ stream: false, abortSignal } as { stream: false }),
        );
        readings.get(info.Id)!.raw.push(raw);
      }),
    );
  }
  return [...readings.values()].map(({ info, raw }) => {
    const samples = raw.map(toSample);
    const last = raw[raw.length - 1];
    const limit = last.memory_stats?.limit;
    const latest = samples[samples.length - 1];
    return {
      container: (info.Names[0] ?? info.Id).replace(/^\//, ''),
      service: info.Labels[SERVICE_LABEL] ?? '(none)',
      cpuPercent: latest.cpuPercent,
      memoryBytes: latest.memoryBytes,
      memoryLimitBytes: limit || undefined,
      memoryPercent: limit ? round((latest.memoryBytes / limit) * 100) : undefined,
      samples,
    };
  });
}

/** The Docker CLI's formulas: CPU from the delta to precpu_stats, memory without the page cache. */
export function toSample(raw: Docker.ContainerStats): StatsSample {
  const cpuDelta = raw.cpu_stats.cpu_usage.total_usage - (raw.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (raw.cpu_stats.system_cpu_usage ?? 0) - (raw.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = raw.cpu_stats.online_cpus || raw.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const stats = (raw.memory_stats?.stats ?? {}) as Record<string, number | undefined>;
  // cgroup v2 reports inactive_file, cgroup v1 total_inactive_file (older engines: cache).
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? stats.cache ?? 0;
  const usage = raw.memory_stats?.usage ?? 0;
  return { at: new Date(raw.read), cpuPercent: round(cpuPercent), memoryBytes: Math.max(0, usage - cache) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
