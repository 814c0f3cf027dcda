import { Pm2Error, callback, type Pm2Daemon, type Pm2Description } from './daemon.js';

export interface Pm2Process {
  name: string;
  id: number;
  pid?: number;
  /** online, stopping, stopped, launching, errored, one-launch-status */
  status: string;
  restarts: number;
  /** Restarts pm2 counted as crashes within min_uptime. */
  unstableRestarts: number;
  /** When the current (or last) run started. */
  startedAt?: Date;
  uptimeMs?: number;
  cpuPercent: number;
  memoryBytes: number;
  outLog?: string;
  errLog?: string;
}

export function toProcess(d: Pm2Description, now = Date.now()): Pm2Process {
  const env = d.pm2_env ?? {};
  const online = env.status === 'online';
  return {
    name: d.name ?? `#${d.pm_id}`,
    id: d.pm_id ?? -1,
    pid: d.pid || undefined,
    status: env.status ?? 'unknown',
    restarts: env.restart_time ?? 0,
    unstableRestarts: env.unstable_restarts ?? 0,
    startedAt: env.pm_uptime ? new Date(env.pm_uptime) : undefined,
    uptimeMs: online && env.pm_uptime ? Math.max(0, now - env.pm_uptime) : undefined,
    cpuPercent: d.monit?.cpu ?? 0,
    memoryBytes: d.monit?.memory ?? 0,
    outLog: env.pm_out_log_path,
    errLog: env.pm_err_log_path,
  };
}

/** Every process of the daemon (or the ones the environment names) with status, restarts, uptime, CPU and memory. */
export async function listProcesses(daemon: Pm2Daemon, now = Date.now()): Promise<Pm2Process[]> {
  const all = await daemon.session('listing processes', (api) => callback<Pm2Description[]>((cb) => api.list(cb)));
  const wanted = daemon.processes ? new Set(daemon.processes) : undefined;
  return all
    .map((d) => toProcess(d, now))
    .filter((p) => !wanted || wanted.has(p.name))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/** The instances of one process name (cluster mode runs several); throws naming the ones that exist. */
export async function findProcess(daemon: Pm2Daemon, name: string): Promise<Pm2Process[]> {
  const all = await listProcesses(daemon);
  const mine = all.filter((p) => p.name === name);
  if (mine.length === 0) {
    const names = [...new Set(all.map((p) => p.name))];
    throw new Pm2Error(
      'unknown-process',
      `pm2 (PM2_HOME=${daemon.home}) has no process \`${name}\`${daemon.processes && !daemon.processes.includes(name) ? ' in this environment' : ''}.`,
      names.length ? `Its processes: ${names.join(', ')}.` : 'It runs no processes: start the app with `pm2 start`.',
    );
  }
  return mine;
}
