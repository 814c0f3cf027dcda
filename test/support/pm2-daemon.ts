import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pm2Api } from '../../src/pm2/daemon.js';
import { callback } from '../../src/pm2/daemon.js';

/**
 * A real pm2 daemon with a private PM2_HOME under a temp dir, running a tiny
 * app that logs to stdout and stderr and crashes on demand: it exits with 1
 * at start and every 100 ms while `<dir>/crash` exists. stop() kills the
 * daemon (and its processes) and removes the folder.
 */
export interface TestPm2 {
  home: string;
  dir: string;
  crashFlag: string;
  start(name: string, opts?: { time?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

const APP = `
const fs = require('node:fs');
const flag = process.argv[2];
const crash = () => { if (fs.existsSync(flag)) { console.error('ERROR crashing on demand'); process.exit(1); } };
crash();
console.log(JSON.stringify({ level: 'info', msg: 'listening', pid: process.pid }));
console.error('warn: cache cold');
console.log(JSON.stringify({ level: 'error', msg: 'db timeout' }));
setInterval(crash, 100);
`;

/** What the test harness calls beyond the adapter's Pm2Api: starting the daemon and an app, and killing it. */
interface TestPm2Api {
  connect(cb: (err: Error | null, value?: unknown) => void): void;
  start(options: Record<string, unknown>, cb: (err: Error | null, value?: unknown) => void): void;
  killDaemon(cb: (err: Error | null, value?: unknown) => void): void;
}

export async function startTestPm2(): Promise<TestPm2> {
  const dir = await mkdtemp(join(tmpdir(), 'opsbot-pm2-'));
  const home = join(dir, 'home');
  // Loading pm2 creates $PM2_HOME (default ~/.pm2): point it here before the first import.
  process.env.PM2_HOME = home;
  const script = join(dir, 'app.cjs');
  await writeFile(script, APP);
  const { default: pm2 } = (await import('pm2')) as unknown as {
    default: { custom: new (opts: { pm2_home: string }) => Pm2Api & TestPm2Api };
  };
  const api = new pm2.custom({ pm2_home: home });
  await callback<unknown>((cb) => api.connect(cb)); // spawns the daemon for this PM2_HOME
  const crashFlag = join(dir, 'crash');
  return {
    home,
    dir,
    crashFlag,
    async start(name, opts = {}) {
      await callback<unknown>((cb) =>
        api.start(
          {
            script,
            name,
            args: [crashFlag],
            autorestart: true,
            min_uptime: 1000,
            max_restarts: 3,
            restart_delay: 100,
            time: opts.time ?? false,
          },
          cb,
        ),
      );
    },
    async stop() {
      await callback<unknown>((cb) => api.killDaemon(cb)).catch(() => undefined);
      api.disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
