import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError, UserError, withTimeout } from '../errors.js';
import { redactSecrets } from '../redact.js';
import type { Pm2Target } from '../config/self-hosted.js';

/** A pm2 problem the operator can fix; the message names the daemon (its PM2_HOME) and the part. */
export class Pm2Error extends UserError {
  constructor(
    readonly kind: 'not-running' | 'permission' | 'unknown-process' | 'timeout' | 'failed',
    message: string,
    hint?: string,
  ) {
    super(message, hint);
  }
}

/** The subset of pm2's programmatic API (lib/API.js) opsbot uses. */
export interface Pm2Api {
  Client: { launchRPC(cb: (err: Error | null) => void): void };
  list(cb: (err: Error | null, list: Pm2Description[]) => void): void;
  describe(name: string, cb: (err: Error | null, list: Pm2Description[]) => void): void;
  restart(name: string, cb: (err: Error | null) => void): void;
  disconnect(cb?: () => void): void;
}

export interface Pm2Description {
  name?: string;
  pm_id?: number;
  pid?: number;
  monit?: { cpu?: number; memory?: number };
  pm2_env?: {
    status?: string;
    restart_time?: number;
    unstable_restarts?: number;
    pm_uptime?: number;
    pm_out_log_path?: string;
    pm_err_log_path?: string;
    exit_code?: number;
  };
}

/**
 * The pm2 daemon of one PM2_HOME. pm2's API talks to it over
 * `$PM2_HOME/rpc.sock`; its `connect()` would spawn a new daemon when none
 * runs (and exits the process on EACCES), so opsbot probes the socket itself
 * and then only opens the RPC channel: it reports "pm2 not running" instead of
 * starting an empty pm2. Each session connects, works and disconnects, within
 * the timeout. pm2 itself is imported lazily because loading it creates its
 * home folder.
 */
export class Pm2Daemon {
  readonly home: string;
  readonly timeoutMs: number;
  readonly processes?: string[];

  constructor(target: Pick<Pm2Target, 'home' | 'timeout' | 'processes'>, env: NodeJS.ProcessEnv = process.env) {
    this.home = target.home ?? env.PM2_HOME ?? join(env.HOME ?? homedir(), '.pm2');
    this.timeoutMs = target.timeout;
    this.processes = target.processes;
  }

  async session<T>(what: string, work: (api: Pm2Api) => Promise<T>, ms = this.timeoutMs): Promise<T> {
    let api: Pm2Api | undefined;
    let over = false;
    try {
      return await withTimeout(`pm2 (${what})`, ms, async () => {
        await probeSocket(join(this.home, 'rpc.sock'), ms);
        const { default: pm2 } = (await import('pm2')) as unknown as {
          default: { custom: new (opts: { pm2_home: string }) => Pm2Api };
        };
        api = new pm2.custom({ pm2_home: this.home });
        if (over) api.disconnect(); // the timeout already fired: close what a late start opened
        await callback<void>((cb) => api!.Client.launchRPC(cb));
        return work(api);
      });
    } catch (err) {
      throw this.explain(err, what);
    } finally {
      over = true;
      api?.disconnect();
    }
  }

  private explain(err: unknown, what: string): UserError {
    if (err instanceof Pm2Error) return err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED')
      return new Pm2Error(
        'not-running',
        `pm2 is not running for PM2_HOME=${this.home} (${what}).`,
        'Start the app under pm2 as the user that owns it (`pm2 start ecosystem.config.js`), or set environments.<env>.pm2.home to that user’s PM2_HOME (e.g. /home/deploy/.pm2).',
      );
    if (e.code === 'EACCES' || e.code === 'EPERM')
      return new Pm2Error(
        'permission',
        `Permission denied on pm2’s socket ${join(this.home, 'rpc.sock')} (${what}).`,
        'Run opsbot as the user that runs pm2, or give its group read-write access to the PM2_HOME sockets.',
      );
    if (err instanceof TimeoutError)
      return new Pm2Error(
        'timeout',
        `pm2 (PM2_HOME=${this.home}) did not answer ${what} within ${err.message.replace(/^.* after /, '')}.`,
        'Check the daemon with `pm2 ping` on that machine.',
      );
    return new Pm2Error(
      'failed',
      `pm2 (PM2_HOME=${this.home}) failed ${what}: ${redactSecrets(e.message ?? String(err))}.`,
    );
  }
}

export function callback<T>(call: (cb: (err: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value))));
}

function probeSocket(path: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path, timeout: ms });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
    socket.once('timeout', () => {
      socket.destroy();
      reject(new TimeoutError('pm2', ms));
    });
  });
}
