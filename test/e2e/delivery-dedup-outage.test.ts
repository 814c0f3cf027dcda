import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase, sql } from '../support/databases.js';
import { startFaultProxy, targetOf, viaProxy, type FaultProxy } from '../support/fault-proxy.js';
import { TestApp, replyText, readyz as readyzOf } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// Slack's retries (X-Slack-Retry-Num, the same trigger_id) must run a command once even while Redis, where
// delivery ids are claimed, is down: the guard falls back to Postgres; with both down it refuses clearly.

describe('delivery de-duplication during a Redis outage', () => {
  let db: TestDatabase;
  let redisProxy: FaultProxy;
  let pgProxy: FaultProxy;
  let app: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase('opsbot_dedup_outage');
    redisProxy = await startFaultProxy({ target: targetOf(TEST_REDIS_URL, 6379) });
    pgProxy = await startFaultProxy({ target: targetOf(db.url, 5432) });
    app = await TestApp.start({
      env: { redisUrl: viaProxy(TEST_REDIS_URL, redisProxy), databaseUrl: viaProxy(db.url, pgProxy) },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await redisProxy?.close();
    await pgProxy?.close();
    await db?.drop();
  }, 60_000);

  const readyz = () => readyzOf(app.baseUrl);
  const auditRows = async (actor: string) =>
    (await sql(db.url, 'SELECT command FROM audit_log WHERE actor_id = $1', [actor])) as { command: string }[];
  const ignored = (triggerId: string) =>
    app.logs.lines.filter((l) => l.includes('duplicate Slack delivery ignored') && l.includes(`trigger:${triggerId}`))
      .length;

  it('runs a retried slash command once with Redis cut (claimed in Postgres), and once more after Redis is back', async () => {
    redisProxy.cut();
    await waitUntil('/readyz to name Redis', async () => (await readyz()).down.some((d) => d.startsWith('redis')));

    const first = await app.command('health prod', { userId: 'U0DEDUP', triggerId: 'trig-outage-1' });
    const retry = await app.command('health prod', { userId: 'U0DEDUP', triggerId: 'trig-outage-1', retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    // Both are in flight at once, so either may claim the delivery first: exactly one of them answers.
    const both = [first.responseId, retry.responseId];
    await app.fake.waitForResponse((p) => both.includes(p.id), { timeoutMs: 20_000 });
    await waitUntil('the other to be recognised as a repeat', () => ignored('trig-outage-1') === 1);
    const rows = await waitUntil('the audit row', async () => {
      const r = await auditRows('U0DEDUP');
      return r.length > 0 && r;
    });
    expect(rows).toHaveLength(1);
    expect(app.fake.responses.filter((p) => both.includes(p.id))).toHaveLength(1);
    expect(app.logs.text()).toContain('Slack delivery claimed in Postgres');
    const { rows: claimed } = await app.runtime.pool.query('SELECT id FROM slack_deliveries');
    expect(claimed.map((r: { id: string }) => r.id)).toContain('trigger:trig-outage-1');

    // Slack's later retry arrives after Redis is back, where the id was never claimed: still a repeat.
    redisProxy.restore();
    await waitUntil('/readyz to answer 200', async () => (await readyz()).status === 200, { timeoutMs: 30_000 });
    const late = await app.command('health prod', { userId: 'U0DEDUP', triggerId: 'trig-outage-1', retryNum: 2 });
    expect(late.status).toBe(200);
    await waitUntil('the late retry to be recognised as a repeat', () => ignored('trig-outage-1') === 2);
    // And a new command runs normally again.
    const fresh = await app.command('health prod', { userId: 'U0DEDUP', triggerId: 'trig-outage-2' });
    await app.fake.waitForResponse((p) => p.id === fresh.responseId, { timeoutMs: 20_000 });
    await waitUntil('two audit rows in all', async () => (await auditRows('U0DEDUP')).length === 2);
    expect(app.fake.responses.filter((p) => p.id === late.responseId)).toHaveLength(0);
  }, 90_000);

  it('refuses anything but help, clearly, when Redis and Postgres are both unreachable', async () => {
    redisProxy.cut();
    pgProxy.cut();
    await waitUntil('/readyz to name Redis and Postgres', async () => {
      const { down } = await readyz();
      return down.some((d) => d.startsWith('redis')) && down.some((d) => d.startsWith('postgres'));
    });

    const refused = await app.ask('health prod', { userId: 'U0BOTHDOWN', timeoutMs: 15_000 });
    expect(refused.response_type).toBe('ephemeral');
    expect(replyText(refused)).toContain(
      'opsbot cannot tell whether Slack already delivered this (Redis and its database are unreachable); try again in a minute.',
    );
    const help = await app.ask('help', { userId: 'U0BOTHDOWN', timeoutMs: 15_000 });
    expect(replyText(help)).not.toContain('cannot tell whether Slack already delivered');
    expect(replyText(help)).toContain('health');

    redisProxy.restore();
    pgProxy.restore();
    await waitUntil('/readyz to answer 200', async () => (await readyz()).status === 200, { timeoutMs: 30_000 });
    const after = await app.ask('health prod', { userId: 'U0BOTHDOWN', timeoutMs: 20_000 });
    expect(replyText(after)).not.toContain('cannot tell whether Slack already delivered');
  }, 90_000);
});
