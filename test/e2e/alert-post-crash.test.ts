import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '../../src/sandbox/slack/fake-slack-methods.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { OpsbotProcess } from '../support/opsbot-process.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const CONFIG = `
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: crash-token
  groupWindow: 1s
`;

describe('a crash while an alert post is in flight', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let fake: FakeSlack;
  let env: NodeJS.ProcessEnv;
  const bots: OpsbotProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('opsbot_post_crash');
    redis = createTestRedis('opsbot-post-crash');
    fake = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-post-crash-'));
    writeFileSync(join(dir, 'ops.yml'), CONFIG);
    env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      OPSBOT_REDIS_PREFIX: redis.prefix,
      OPS_CONFIG: join(dir, 'ops.yml'),
    };
  });
  afterAll(async () => {
    for (const bot of bots) await bot.stop('SIGKILL');
    await fake?.close();
    await db?.drop();
    await redis?.cleanup();
  });

  it('does not post the message twice: the restarted bot adopts the earlier post and edits it', async () => {
    // Slack stores the post but its answer never reaches the bot, which is killed meanwhile.
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    fake.handle('chat.postMessage', async (args) => {
      const answer = METHODS['chat.postMessage'](args, fake);
      await hung;
      return answer;
    });
    const first = OpsbotProcess.start(['serve'], env);
    bots.push(first);
    const baseUrl = await first.listening();
    const res = await fetch(`${baseUrl}/alerts/webhook`, {
      method: 'POST',
      headers: { authorization: 'Bearer crash-token', 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'bench', key: 'crash-alarm', title: 'crash-alarm', state: 'firing' }),
    });
    expect(res.status).toBe(202);
    const posted = await waitUntil('Slack to have the post', () => fake.messages['C0ALERTS']?.[0], {
      timeoutMs: 15_000,
    });
    await first.stop('SIGKILL');
    fake.handle('chat.postMessage', null);
    release();

    const second = OpsbotProcess.start(['serve'], env);
    bots.push(second);
    await second.listening();
    await waitUntil(
      'the restarted bot to adopt the earlier post',
      () => second.logged('adopted an alert post interrupted by a crash').length === 1,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await waitUntil('the earlier post to be edited in place', () => fake.message('C0ALERTS', posted.ts)!.updates >= 1);
    expect(fake.messages['C0ALERTS']).toHaveLength(1);
    expect(JSON.stringify(fake.messages['C0ALERTS'][0])).toContain('crash-alarm');
    await second.stop('SIGTERM');
  }, 120_000);
});
