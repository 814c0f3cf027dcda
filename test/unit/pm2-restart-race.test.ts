import { describe, expect, it } from 'vitest';
import { Pm2Daemon, Pm2Error, restartProcess } from '../../src/pm2/index.js';
import type { Pm2Api, Pm2Description } from '../../src/pm2/daemon.js';

/**
 * The race CI met with a real pm2: the app crashed just as we asked for a
 * restart, pm2's autorestart started it first, and God answered our restart
 * with "Process with pid N already exists". The real daemon cannot be made
 * to lose that race on demand, so this daemon plays pm2's side of it.
 */
class RacingDaemon extends Pm2Daemon {
  runs: Pm2Description[];
  constructor(
    first: Pm2Description,
    private readonly after: (now: number) => Pm2Description,
    private readonly restartError: string,
  ) {
    super({ home: '/tmp/pm2-race', timeout: 1000 });
    this.runs = [first];
  }
  override async session<T>(what: string, work: (api: Pm2Api) => Promise<T>): Promise<T> {
    const api: Pm2Api = {
      Client: { launchRPC: (cb) => cb(null) },
      list: (cb) => cb(null, [this.runs.at(-1)!]),
      describe: (_name, cb) => cb(null, [this.runs.at(-1)!]),
      restart: (_name, cb) => {
        this.runs.push(this.after(Date.now())); // autorestart got there first
        cb(new Error(this.restartError));
      },
      disconnect: () => undefined,
    };
    try {
      return await work(api);
    } catch (err) {
      throw new Pm2Error('failed', `pm2 (PM2_HOME=${this.home}) failed ${what}: ${(err as Error).message}.`);
    }
  }
}

const run = (pid: number, startedAt: number, restarts: number, status = 'online'): Pm2Description => ({
  name: 'invoice-worker',
  pm_id: 1,
  pid,
  pm2_env: { status, restart_time: restarts, pm_uptime: startedAt },
});

describe('restartProcess when pm2 restarted the process first', () => {
  it('follows the run pm2 started and reports it up', async () => {
    const daemon = new RacingDaemon(
      run(100, Date.now() - 60_000, 0),
      (now) => run(101, now - 5, 1),
      'Process with pid 101 already exists',
    );
    const notes: string[] = [];
    const result = await restartProcess(daemon, 'invoice-worker', {
      stableMs: 0,
      pollMs: 10,
      onProgress: (n) => void notes.push(n),
    });
    expect(result.instances[0]).toMatchObject({ pid: 101, status: 'online' });
    expect(notes).toContain('pm2 had already started invoice-worker again itself');
  });

  it('still says it is errored when that run failed', async () => {
    const daemon = new RacingDaemon(
      run(100, Date.now() - 60_000, 0),
      (now) => run(0, now, 3, 'errored'),
      'process already started',
    );
    const err = await restartProcess(daemon, 'invoice-worker', { stableMs: 0, pollMs: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(Pm2Error);
    expect(err.message).toBe('invoice-worker is errored after the restart (3 restart(s) since).');
  });

  it('passes on any other refusal from pm2', async () => {
    const daemon = new RacingDaemon(
      run(100, Date.now() - 60_000, 0),
      (now) => run(100, now - 60_000, 0),
      'PM2 is being killed',
    );
    const err = await restartProcess(daemon, 'invoice-worker', { stableMs: 0, pollMs: 10 }).catch((e) => e);
    expect(err.message).toMatch(/failed restarting invoice-worker: PM2 is being killed/);
  });
});
