import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { OpsbotProcess } from '../support/opsbot-process.js';
import { postToSlackEndpoint, slashCommandBody } from '../support/slack-request.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// SIGTERM on a real `opsbot serve`: it stops taking requests at once, lets a running job finish (here a
// REINDEX CONCURRENTLY held back by a lock the test owns), and exits 0; past OPSBOT_SHUTDOWN_GRACE the job
// is cancelled, and its message says so, instead of the process hanging or dying with the job half-done.

describe('graceful shutdown (SIGTERM)', () => {
  let target: TestDatabase;
  let db: TestDatabase;
  let redis: TestRedis;
  let fake: FakeSlack;
  let bot: OpsbotProcess | undefined;
  let locker: pg.Client | undefined;
  let configPath: string;
  // The health URL of environment "local": answers only when the test says so, to hold a command in flight.
  let app: Server;
  const waiting: ServerResponse[] = [];

  beforeAll(async () => {
    target = await createTestDatabase('opsbot_sigterm_target');
    const setup = new pg.Client({ connectionString: target.url });
    await setup.connect();
    await setup.query('CREATE TABLE orders (id int PRIMARY KEY, note text)');
    await setup.query('INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 20000) g');
    await setup.end();
    db = await createTestDatabase('opsbot_sigterm');
    redis = createTestRedis('opsbot-sigterm');
    fake = await startFakeSlack();
    app = createServer((_req, res) => void waiting.push(res));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const health = `http://127.0.0.1:${(app.address() as AddressInfo).port}/health`;
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-sigterm-'));
    configPath = join(dir, 'ops.yml');
    writeFileSync(
      configPath,
      [
        'environments:',
        '  local:',
        `    database: { url: "${target.url}" }`,
        `    health: [{ name: api, url: "${health}", timeout: 20s }]`,
        '',
      ].join('\n'),
    );
  });
  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    locker = undefined;
    await bot?.stop('SIGKILL');
    bot = undefined;
    fake.reset();
  });
  afterAll(async () => {
    app?.closeAllConnections();
    await new Promise((resolve) => app?.close(resolve));
    await fake?.close();
    await db?.drop();
    await target?.drop();
    await redis?.cleanup();
  });

  const start = async (grace: string) => {
    bot = OpsbotProcess.start(['serve'], {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      OPSBOT_REDIS_PREFIX: redis.prefix,
      OPS_CONFIG: configPath,
      OPSBOT_SHUTDOWN_GRACE: grace,
    });
    return bot.listening();
  };

  /** Holds a lock REINDEX CONCURRENTLY must wait for, starts the reindex, and waits until Postgres shows it waiting. */
  const reindexHeldBack = async (baseUrl: string) => {
    locker = new pg.Client({ connectionString: target.url });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE orders IN SHARE UPDATE EXCLUSIVE MODE');
    const watcher = new pg.Client({ connectionString: target.url });
    watcher.on('error', () => undefined);
    await watcher.connect();
    const body = slashCommandBody({
      text: 'db reindex local orders',
      userId: 'U0ALICE',
      channelId: 'C0OPS',
      responseUrl: fake.responseUrl(`r${Date.now()}`),
      triggerId: `trigger-${Math.random().toString(36).slice(2)}`,
    });
    expect((await postToSlackEndpoint(baseUrl, SIGNING_SECRET, body)).status).toBe(200);
    try {
      await waitUntil(
        'REINDEX waiting on the test lock',
        async () => {
          // Not on the locker's connection: inside its transaction, pg_stat_activity is a snapshot.
          const { rows } = await watcher.query(
            `SELECT 1 FROM pg_stat_activity WHERE query LIKE 'REINDEX%' AND wait_event_type = 'Lock'`,
          );
          return rows.length > 0;
        },
        { timeoutMs: 15_000 },
      );
    } finally {
      await watcher.end();
    }
    const [post] = await fake.waitFor((c) => c.method === 'chat.postMessage' && /reindex/i.test(String(c.args.text)));
    return { channel: String(post.args.channel), ts: String((post.response as { ts: string }).ts) };
  };

  const refuses = async (baseUrl: string) =>
    fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      () => false,
      () => true,
    );

  it('stops taking requests, lets the running job finish, then exits 0', async () => {
    const baseUrl = await start('25s');
    const job = await reindexHeldBack(baseUrl);

    bot!.child.kill('SIGTERM');
    await waitUntil('"shutting down" in the log', () => bot!.logged('shutting down').length > 0);
    await waitUntil('the HTTP server to refuse new requests', () => refuses(baseUrl));
    // The job is still held back by the lock, so the process must still be there, waiting for it.
    expect(bot!.running).toBe(true);

    await locker!.query('COMMIT');
    await waitUntil('opsbot to exit', () => !bot!.running, { timeoutMs: 20_000 });
    expect(bot!.exitCode).toBe(0);
    expect(bot!.logged('opsbot stopped')).toHaveLength(1);
    expect(fake.message(job.channel, job.ts)?.text).toMatch(/local: rebuilt the indexes of orders/);
  }, 60_000);

  it('finishes a command whose reply is still being worked on after its ack', async () => {
    const baseUrl = await start('25s');
    const responseId = `r${Date.now()}`;
    const body = slashCommandBody({
      text: 'health local',
      userId: 'U0ALICE',
      channelId: 'C0OPS',
      responseUrl: fake.responseUrl(responseId),
      triggerId: `trigger-${Math.random().toString(36).slice(2)}`,
    });
    expect((await postToSlackEndpoint(baseUrl, SIGNING_SECRET, body)).status).toBe(200);
    await waitUntil('the health probe to reach the app', () => waiting.length > 0);

    bot!.child.kill('SIGTERM');
    await waitUntil(
      '"waiting for Slack requests in flight" in the log',
      () => bot!.logged('waiting for Slack requests in flight').length > 0,
    );
    expect(bot!.running).toBe(true);
    waiting.shift()!.writeHead(200).end('ok');

    const [reply] = await fake.waitForResponse((p) => p.id === responseId, { timeoutMs: 10_000 });
    expect(JSON.stringify(reply.body)).toContain('api');
    await waitUntil('opsbot to exit', () => !bot!.running, { timeoutMs: 20_000 });
    expect(bot!.exitCode).toBe(0);
  }, 60_000);

  it('cancels a job still running when the grace ends, says so in its message, and exits 0', async () => {
    const baseUrl = await start('2s');
    const job = await reindexHeldBack(baseUrl);

    const signalled = Date.now();
    bot!.child.kill('SIGTERM');
    await waitUntil('opsbot to exit', () => !bot!.running, { timeoutMs: 20_000 });
    expect(bot!.exitCode).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
    expect(bot!.logged('jobs still running when the shutdown grace ended: cancelling them')).toHaveLength(1);
    expect(fake.message(job.channel, job.ts)?.text).toMatch(/cancel/i);
  }, 60_000);
});
