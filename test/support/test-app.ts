import { Writable } from 'node:stream';
import type { TableBlock } from '@slack/types';
import { tableAsText } from '../../views/table.js';
import { parseConfig } from '../../src/config/load.js';
import type { OpsConfig } from '../../src/config/schema.js';
import type { RuntimeEnv } from '../../src/config/runtime-env.js';
import { createLogger, type Logger } from '../../src/log.js';
import { Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from './databases.js';
import { postToSlackEndpoint, slashCommandBody, blockActionBody, newTriggerId } from './slack-request.js';

import { waitUntil } from './wait.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-0000-1111-abcdefghijkl';

export const MINIMAL_CONFIG = `
environments:
  prod:
    region: us-east-1
    health: []
  staging:
    health: []
`;

export interface TestAppOptions extends Partial<Omit<RuntimeOptions, 'env' | 'config' | 'log'>> {
  /** ops.yml text; defaults to two environments with nothing to probe. */
  configYaml?: string;
  yamlEnv?: NodeJS.ProcessEnv;
  worker?: boolean;
  progressIntervalMs?: number;
  workerOptions?: { lockDurationMs?: number; stalledIntervalMs?: number };
  /** Overrides of the runtime environment, e.g. an app token for Socket Mode. */
  env?: Partial<RuntimeEnv>;
  /** Start on the fake Slack, database and Redis prefix of an earlier app (a restart). */
  reuse?: { fake: FakeSlack; db: TestDatabase; redis: TestRedis };
}

/** Log lines collected in memory, so tests can assert that secrets never reach them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(chunk.toString());
    done();
  }
  text(): string {
    return this.lines.join('');
  }
}

/**
 * The real app (Bolt, router, Postgres, Redis, BullMQ) against a fake Slack,
 * its own database and its own Redis prefix. `command()` sends a signed
 * slash command exactly as Slack would.
 */
export class TestApp {
  baseUrl = '';
  private constructor(
    readonly runtime: Runtime,
    readonly fake: FakeSlack,
    readonly db: TestDatabase,
    readonly redis: TestRedis,
    readonly logs: LogCapture,
    readonly config: OpsConfig,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const fake = options.reuse?.fake ?? (await startFakeSlack());
    const db = options.reuse?.db ?? (await createTestDatabase());
    const redis = options.reuse?.redis ?? createTestRedis();
    const logs = new LogCapture();
    const log: Logger = createLogger('debug', logs);
    const { config } = parseConfig(options.configYaml ?? MINIMAL_CONFIG, options.yamlEnv ?? {});
    const env: RuntimeEnv = {
      slackBotToken: BOT_TOKEN,
      slackSigningSecret: SIGNING_SECRET,
      slackApiUrl: fake.apiUrl,
      port: 0,
      databaseUrl: db.url,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
      opsConfigPath: '(test)',
      logLevel: 'debug',
      ...options.env,
    };
    const runtime = new Runtime({ ...options, env, config, log });
    await runtime.prepare();
    if (options.worker !== false)
      await runtime.startWorker({ progressIntervalMs: options.progressIntervalMs ?? 50, ...options.workerOptions });
    const app = new TestApp(runtime, fake, db, redis, logs, config);
    const port = await runtime.startSlack();
    app.baseUrl = `http://127.0.0.1:${port}`;
    return app;
  }

  /** Sends `/ops <text>` signed; returns the HTTP answer (the ack) and the response_url id to wait on. */
  async command(
    text: string,
    opts: {
      userId?: string;
      channelId?: string;
      triggerId?: string;
      retryNum?: number;
      timestamp?: number;
      badSignature?: boolean;
    } = {},
  ) {
    const responseId = `r${Math.random().toString(36).slice(2, 10)}`;
    const body = slashCommandBody({
      text,
      userId: opts.userId ?? 'U0ALICE',
      channelId: opts.channelId ?? 'C0OPS',
      responseUrl: this.fake.responseUrl(responseId),
      triggerId: opts.triggerId ?? newTriggerId(),
    });
    const http = await postToSlackEndpoint(this.baseUrl, SIGNING_SECRET, body, {
      retryNum: opts.retryNum,
      timestamp: opts.timestamp,
      badSignature: opts.badSignature,
    });
    return { ...http, responseId, body };
  }

  /** Sends `/ops <text>` and waits for the reply posted to its response_url. */
  async ask(text: string, opts: { userId?: string; channelId?: string; timeoutMs?: number } = {}) {
    const sent = await this.command(text, opts);
    if (sent.status !== 200) throw new Error(`slash command answered HTTP ${sent.status}: ${sent.body}`);
    const [post] = await this.fake.waitForResponse((p) => p.id === sent.responseId, {
      timeoutMs: opts.timeoutMs ?? 8000,
    });
    return post.body as {
      response_type: string;
      text: string;
      blocks?: unknown[];
      attachments?: { color: string; blocks: unknown[] }[];
    };
  }

  async click(actionId: string, value: string, opts: { userId?: string; channelId?: string; messageTs?: string } = {}) {
    const responseId = `a${Math.random().toString(36).slice(2, 10)}`;
    const body = blockActionBody({
      actionId,
      value,
      userId: opts.userId ?? 'U0ALICE',
      channelId: opts.channelId ?? 'C0OPS',
      messageTs: opts.messageTs,
      responseUrl: this.fake.responseUrl(responseId),
    });
    const http = await postToSlackEndpoint(this.baseUrl, SIGNING_SECRET, body);
    return { ...http, responseId };
  }

  /**
   * Waits for the job whose message is the newest in `channel` to end: its message says "done in" or
   * "— failed". Returns that message (text, blocks and attachments as JSON) and its ts.
   */
  async jobOutcome(channel: string, timeoutMs = 20_000): Promise<{ json: string; ts: string }> {
    return waitUntil(
      `the job in ${channel} to finish`,
      () => {
        const m = this.fake.lastMessage(channel);
        const json = m ? JSON.stringify([m.text, m.blocks, m.attachments]) : '';
        return json.includes('done in') || json.includes('— failed') ? { json, ts: m!.ts } : undefined;
      },
      { timeoutMs, intervalMs: 40 },
    );
  }

  /** Stops the app; with keepData the fake Slack, database and Redis keys stay for a restarted app. */
  async stop({ keepData = false } = {}): Promise<void> {
    await this.runtime.close();
    if (keepData) return;
    await this.fake.close();
    await this.db.drop();
    await this.redis.cleanup();
  }
}

/**
 * All the text a reply shows: top-level blocks and the blocks in its attachments, then each table
 * block as the aligned lines a reader sees (so a row reads as one line: `orders  1.6 MB  1.2 MB`).
 */
export function replyText(reply: {
  text?: string;
  blocks?: unknown[];
  attachments?: { blocks?: unknown[] }[];
}): string {
  const attached = (reply.attachments ?? []).map((a) => a.blocks ?? []);
  const tables = [reply.blocks ?? [], ...attached]
    .flat()
    .filter((b): b is TableBlock => (b as { type?: string })?.type === 'table')
    .map((t) => tableAsText(t).join('\n'));
  return JSON.stringify([reply.blocks ?? [], attached]) + tables.map((t) => `\n${t}`).join('');
}

/** GET /readyz: its status and the dependencies it names as down (bounded at 5 s). */
export async function readyz(baseUrl: string): Promise<{ status: number; down: string[] }> {
  const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, down: ((await res.json()) as { down?: string[] }).down ?? [] };
}
