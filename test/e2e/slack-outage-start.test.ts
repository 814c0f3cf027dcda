import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { OpsbotProcess } from '../support/opsbot-process.js';
import { BOT_TOKEN, MINIMAL_CONFIG, SIGNING_SECRET } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

async function readyz(baseUrl: string): Promise<{ status: number; body: { down?: string[] } }> {
  const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as { down?: string[] } };
}

describe('Slack unreachable when opsbot starts', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let fake: FakeSlack;
  let proxy: FaultProxy;
  let bot: OpsbotProcess | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('opsbot_slack_down');
    redis = createTestRedis('opsbot-slack-down');
    fake = await startFakeSlack();
    proxy = await startFaultProxy({ target: { port: Number(new URL(fake.apiUrl).port) } });
  });
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await proxy?.close();
    await fake?.close();
    await db?.drop();
    await redis?.cleanup();
  });

  it('keeps serving, reports Slack down in /readyz, and retries auth.test until Slack answers', async () => {
    proxy.cut();
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-slack-down-'));
    writeFileSync(join(dir, 'ops.yml'), MINIMAL_CONFIG);
    bot = OpsbotProcess.start(['serve'], {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `http://127.0.0.1:${proxy.port}/api/`,
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      OPSBOT_REDIS_PREFIX: redis.prefix,
      OPS_CONFIG: join(dir, 'ops.yml'),
    });
    const baseUrl = await bot.listening();

    // Bolt's own verification used to crash the process about 1.5 s in; wait for two failed attempts instead.
    await waitUntil(
      'two failed auth.test attempts',
      () => bot!.logged('Slack auth.test failed; retrying').length >= 2,
      {
        timeoutMs: 15_000,
      },
    );
    expect(bot.running).toBe(true);
    const down = await readyz(baseUrl);
    expect(down.status).toBe(503);
    expect(down.body.down?.join(' ')).toMatch(/^slack: Slack unreachable/);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);

    proxy.restore();
    await waitUntil('auth.test to reach Slack', () => fake.callsTo('auth.test').length > 0, { timeoutMs: 20_000 });
    await waitUntil('/readyz to answer 200', async () => (await readyz(baseUrl)).status === 200, { timeoutMs: 5000 });
    await waitUntil('the recovery to be logged', () => bot!.logged('Slack answered auth.test again').length === 1);
    expect(bot.running).toBe(true);
  }, 60_000);
});
