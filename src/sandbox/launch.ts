// Starts the whole demo stack (see demo.ts) and returns a handle that stops it
// again; the browser test uses it the same way `npm run demo` does.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../config/load.js';
import type { RuntimeEnv } from '../config/runtime-env.js';
import { createLogger } from '../log.js';
import { Runtime } from '../runtime.js';
import { startAwsSimulator, type AwsSimulator } from './aws/server.js';
import { answerRestoredCopiesAt } from './aws/rds-dr.js';
import { FakeSlack } from './slack/fake-slack.js';
import { Playground } from './playground/feature.js';
import { SetupError, startPostgres, startRedis, type LocalService } from './services.js';
import { seedAppDatabase } from './app-database.js';

const BOT_DB = 'opsbot';
const APP_DB = 'shop';
const STOP_TIMEOUT_MS = 6000;

export interface DemoOptions {
  port: number;
  databaseUrl?: string;
  redisUrl?: string;
  configPath?: string;
  logLevel?: string;
  /** Time factor for the simulated fleet's actions (tests may speed it up). */
  timeScale?: number;
  latencyMs?: number;
}

export interface Demo {
  url: string;
  postgres: LocalService;
  redis: LocalService;
  aws: AwsSimulator;
  fake: FakeSlack;
  playground: Playground;
  runtime: Runtime;
  /** Stops everything started, newest first; safe to call twice. */
  stop(): Promise<void>;
}

type Stop = { name: string; stop: () => Promise<unknown> | void };

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const stops: Stop[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of stops.reverse()) {
      // One piece that hangs (e.g. a client retrying a server that is already gone) must not keep the rest running.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
      });
      try {
        if ((await Promise.race([Promise.resolve(s.stop()), timeout])) === 'timeout')
          console.error(`opsbot demo: ${s.name} did not stop within ${STOP_TIMEOUT_MS / 1000}s; moving on`);
      } catch (err) {
        console.error(`opsbot demo: could not stop ${s.name}: ${(err as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
  };
  try {
    const base = `http://127.0.0.1:${opts.port}`;
    const [postgres, redis] = await Promise.all([
      startPostgres(opts.databaseUrl, [BOT_DB, APP_DB]).then(
        (s) => (stops.push({ name: 'Postgres', stop: () => s.stop() }), s),
      ),
      startRedis(opts.redisUrl).then((s) => (stops.push({ name: 'Redis', stop: () => s.stop() }), s)),
    ]);
    const appDatabaseUrl = withDatabase(postgres.url, APP_DB);
    await seedAppDatabase(appDatabaseUrl);

    const aws = await startAwsSimulator({ latencyMs: opts.latencyMs ?? 120, timeScale: opts.timeScale });
    stops.push({ name: 'simulated AWS', stop: () => aws.close() });
    // A DR test's restored copy answers at the application database, so its row counts can be compared.
    const appDb = new URL(appDatabaseUrl);
    answerRestoredCopiesAt(aws.fleet, { address: appDb.hostname, port: Number(appDb.port || 5432) });
    // The SDK's own variables: every client the bot creates now talks to the simulator.
    Object.assign(process.env, aws.sdkEnv(), { AWS_EC2_METADATA_DISABLED: 'true' });
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;

    const fake = new FakeSlack({ teamId: 'T0PLAYGROUND', botUserId: 'U0OPSBOT', botId: 'B0OPSBOT' }).mount(
      `${base}/sandbox/slack`,
    );
    const signingSecret = randomBytes(16).toString('hex');
    const playground = new Playground({ fake, signingSecret, eventsUrl: () => `${base}/slack/events`, aws });

    const configPath = opts.configPath ?? fileURLToPath(new URL('./demo.ops.yml', import.meta.url));
    const { config } = await loadConfigFile(configPath, {
      ...process.env,
      DEMO_APP_URL: `${aws.url}/app`,
      DEMO_APP_DATABASE_URL: appDatabaseUrl,
      DEMO_REDIS_URL: redis.url,
    });
    const env: RuntimeEnv = {
      slackBotToken: `xoxb-sandbox-${randomBytes(8).toString('hex')}`,
      slackSigningSecret: signingSecret,
      slackApiUrl: `${fake.url}/api/`,
      port: opts.port,
      databaseUrl: postgres.url,
      redisUrl: redis.url,
      redisPrefix: 'opsbot-demo',
      opsConfigPath: configPath,
      logLevel: opts.logLevel ?? 'warn',
    };
    const runtime = new Runtime({ env, config, log: createLogger(env.logLevel) });
    // The playground is a Feature only this launcher adds: its routes (the page,
    // its API and the fake Slack Web API) live beside /slack/events on one port.
    runtime.features.push(playground.feature());
    stops.push({ name: 'opsbot', stop: () => runtime.close() });
    // Stopped before the bot: open event streams would otherwise hold its HTTP server open.
    stops.push({ name: 'playground', stop: () => playground.close() });
    await runtime.prepare();
    await runtime.startWorker();
    await runtime.startSlack().catch((err: NodeJS.ErrnoException) => {
      if (err?.code === 'EADDRINUSE')
        throw new SetupError(
          `Port ${opts.port} is in use. Stop what runs there, or pick another: PORT=3001 npm run demo`,
        );
      throw err;
    });
    return { url: base, postgres, redis, aws, fake, playground, runtime, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A few tables with rows, so /ops db has something to look at. */
