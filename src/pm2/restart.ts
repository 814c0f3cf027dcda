import { formatDuration } from '../duration.js';
import { Pm2Error, callback, type Pm2Daemon, type Pm2Description } from './daemon.js';
import { findProcess, toProcess, type Pm2Process } from './processes.js';

/** What pm2's God answers when a restart finds the process already started again by autorestart. */
const ALREADY_RUNNING = /Process with pid \d+ already exists|process already (online|started)/;

export interface Pm2RestartOptions {
  /** Give up following after this long; default 60 s. */
  deadlineMs?: number;
  pollMs?: number;
  /** How long it must stay online to count as up (a crashing app comes online first); default 2 s. */
  stableMs?: number;
  onProgress?: (note: string) => void | Promise<void>;
}

export interface Pm2RestartResult {
  process: string;
  instances: Pm2Process[];
  durationMs: number;
}

/**
 * `pm2 restart <name>`, then followed until every instance is online again,
 * started after the restart, and still online `stableMs` later. Throws a
 * Pm2Error when it errors, stops, keeps crashing, or the deadline passes.
 */
export async function restartProcess(
  daemon: Pm2Daemon,
  name: string,
  opts: Pm2RestartOptions = {},
): Promise<Pm2RestartResult> {
  const started = Date.now();
  const deadline = started + (opts.deadlineMs ?? 60_000);
  const stableMs = opts.stableMs ?? 2000;
  const before = await findProcess(daemon, name);
  const restartsBefore = Math.max(...before.map((p) => p.restarts));
  await opts.onProgress?.(`restarting ${name}`);
  // A run counts as the restarted one when it began after the run we saw before asking.
  const startedBefore = new Map(before.map((p) => [p.id, p.startedAt?.getTime() ?? 0]));
  try {
    await daemon.session(`restarting ${name}`, (api) => callback<void>((cb) => api.restart(name, cb)));
  } catch (err) {
    // pm2's autorestart won the race (the app crashed as we asked): it answers that the
    // process already runs again. That is the fresh run we wanted; follow it like our own.
    if (!(err instanceof Pm2Error && ALREADY_RUNNING.test(err.message))) throw err;
    await opts.onProgress?.(`pm2 had already started ${name} again itself`);
  }
  let lastNote = '';
  for (;;) {
    const now = Date.now();
    const described = await daemon.session(`following ${name}`, (api) =>
      callback<Pm2Description[]>((cb) => api.describe(name, cb)),
    );
    const instances = described.map((d) => toProcess(d, now));
    const bad = instances.find((p) => p.status === 'errored' || p.status === 'stopped');
    if (bad)
      throw new Pm2Error(
        'failed',
        `${name} is ${bad.status} after the restart (${bad.restarts - restartsBefore} restart(s) since).`,
        `See why with \`/ops logs --service ${name} --errors\`.`,
      );
    const crashes = Math.min(...instances.map((p) => p.restarts)) - restartsBefore - 1;
    if (crashes >= 2)
      throw new Pm2Error(
        'failed',
        `${name} keeps crashing: pm2 restarted it ${crashes} more time(s) after the restart.`,
        `See why with \`/ops logs --service ${name} --errors\`.`,
      );
    // Up: every instance online in a run newer than the one seen before asking, for stableMs already.
    const up = instances.every(
      (p) =>
        p.status === 'online' &&
        (p.startedAt?.getTime() ?? 0) > (startedBefore.get(p.id) ?? 0) &&
        now - p.startedAt!.getTime() >= stableMs,
    );
    if (up) return { process: name, instances, durationMs: now - started };
    const note = `${name}: ${instances.map((p) => p.status).join(', ')}`;
    if (note !== lastNote) await opts.onProgress?.(note);
    lastNote = note;
    if (now >= deadline)
      throw new Pm2Error(
        'timeout',
        `${name} was not steadily online ${formatDuration(deadline - started)} after the restart (now ${instances.map((p) => p.status).join(', ')}).`,
        'Check again with `/ops status`, and look at its logs.',
      );
    await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 500, Math.max(0, deadline - Date.now()))));
  }
}
