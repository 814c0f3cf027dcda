import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { TestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// Its own ports: redis-cluster.test.ts uses the helper's default 7201–7203 and test files run in parallel.
const PORTS = [7211, 7212, 7213];

const CONFIG = (targetUrl: string, expires: string) => `
environments:
  prod:
    database: { url: "${targetUrl}" }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: [db reindex]
      allow: [oncall]
      approval: { approvers: [oncall], expires: ${expires} }
`;

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Two deployments (own prefix, own database) on one real 3-node cluster: approvals, expiry, Slack retries. */
describe('approvals and delivery de-duplication on a real 3-node Redis Cluster', () => {
  let cluster: RedisCluster;
  let target: TestDatabase;
  let app: TestApp;
  let quick: TestApp;
  const prefix = () => `{opsbot-${randomBytes(3).toString('hex')}}`;

  beforeAll(async () => {
    [cluster, target] = await Promise.all([startRedisCluster(PORTS), createTestDatabase('opsbot_cluster_target')]);
    await sql(target.url, 'CREATE TABLE orders (id int PRIMARY KEY, customer int)');
    await sql(target.url, 'CREATE INDEX orders_customer_idx ON orders (customer)');
    [app, quick] = await Promise.all(
      ['15m', '2s'].map((expires) =>
        TestApp.start({
          configYaml: CONFIG(target.url, expires),
          env: { redisUrl: cluster.url, redisPrefix: prefix() },
        }),
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all([app?.stop(), quick?.stop()]);
    await target?.drop();
    await cluster?.stop();
  });

  /** Asks for the blocking reindex as U0ALICE; returns the approval id and the card's ts. */
  async function requestReindex(on: TestApp) {
    const sent = await on.command('db reindex prod orders --blocking', { userId: 'U0ALICE' });
    expect(sent.status).toBe(200);
    const [card] = await on.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        JSON.stringify(c.args).includes('approval.approve') &&
        JSON.stringify(c.args).includes('REINDEX'),
      { timeoutMs: 10_000 },
    );
    const id = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.args))![1];
    return { id, channel: String(card.args.channel), ts: String(card.response.ts) };
  }
  const cardJson = (on: TestApp, channel: string, ts: string) => {
    const m = on.fake.message(channel, ts);
    return JSON.stringify([m?.blocks, m?.attachments]);
  };

  it('approved by another user, the blocking reindex runs once as a job and the card ends done', async () => {
    // The queue and the bot's keys really are on the cluster, not on a single Redis.
    expect(app.runtime.bullConnection).toBeInstanceOf(Cluster);
    expect(app.runtime.redis).toBeInstanceOf(Cluster);
    const started = Date.now();
    const { id, channel, ts } = await requestReindex(app);
    const click = await app.click('approval.approve', id, { userId: 'U0BOB', channelId: channel, messageTs: ts });
    expect(click.status).toBe(200);
    const audit = await waitUntil(
      'the "executed" audit row',
      () =>
        sql<{ outcome: string; job_id: string | null }>(
          app.db.url,
          `SELECT outcome, detail->>'jobId' AS job_id FROM audit_log WHERE detail->>'approvalId' = $1 ORDER BY id`,
          [id],
        ).then((rows) => (rows.some((a) => a.outcome === 'executed') ? rows : undefined)),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(audit.map((a) => a.outcome)).toEqual(['approved', 'queued', 'executed']);
    // The request's row is the dispatcher's (it carries the plan, not the approval id): one for this command.
    const chain = await sql<{ outcome: string; actor_id: string }>(
      app.db.url,
      `SELECT outcome, actor_id FROM audit_log WHERE command = 'db reindex' ORDER BY id`,
    );
    // The request row is the dispatcher's, written apart from the approval's rows: CI stored the approval first.
    // one of each, and the run's rows after both.
    expect(chain).toHaveLength(4);
    expect(chain.slice(0, 2)).toEqual(
      expect.arrayContaining([
        { outcome: 'approval_requested', actor_id: 'U0ALICE' },
        { outcome: 'approved', actor_id: 'U0BOB' },
      ]),
    );
    expect(chain.slice(2)).toEqual([
      { outcome: 'queued', actor_id: 'U0ALICE' },
      { outcome: 'executed', actor_id: expect.any(String) },
    ]);
    const [row] = await sql<{ status: string; job_id: string }>(
      app.db.url,
      'SELECT status, job_id FROM approvals WHERE id = $1',
      [id],
    );
    expect(row.status).toBe('executed');
    expect(audit[2].job_id).toBe(String(row.job_id));
    const reindexJobs = (
      await app.runtime.jobs.queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'])
    ).filter((j) => j?.name === 'db.reindex');
    expect(reindexJobs.map((j) => String(j.id))).toEqual([String(row.job_id)]);
    expect(await reindexJobs[0].getState()).toBe('completed');
    await waitUntil('the card to say it is done', () => cardJson(app, channel, ts).includes('Approved and done'));
    expect(cardJson(app, channel, ts)).toContain('<@U0BOB>');
    // The rebuilt indexes are valid: the job really ran against the target database.
    const [valid] = await sql<{ ok: boolean }>(
      target.url,
      `SELECT bool_and(indisvalid) AS ok FROM pg_index WHERE indrelid = 'orders'::regclass`,
    );
    expect(valid.ok).toBe(true);
    console.log(`cluster approval: request to executed in ${Date.now() - started} ms`);
  }, 45_000);

  it('the expiry delayed job fires on the cluster: a 2 s request expires and its card says so', async () => {
    const started = Date.now();
    const { id, channel, ts } = await requestReindex(quick);
    await quick.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === ts && JSON.stringify(c.args).includes('Expired'),
      { timeoutMs: 15_000 },
    );
    const elapsed = Date.now() - started;
    // Not before the deadline: the job is delayed by 2 s (and a margin), not run at once.
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    const [row] = await sql<{ status: string }>(quick.db.url, 'SELECT status FROM approvals WHERE id = $1', [id]);
    expect(row.status).toBe('expired');
    const late = await quick.click('approval.approve', id, { userId: 'U0BOB', channelId: channel, messageTs: ts });
    const [answer] = await quick.fake.waitForResponse((p) => p.id === late.responseId);
    expect(JSON.stringify(answer.body)).toContain('expired');
    const outcomes = await sql<{ outcome: string }>(
      quick.db.url,
      `SELECT outcome FROM audit_log WHERE detail->>'approvalId' = $1 ORDER BY id`,
      [id],
    );
    expect(outcomes.map((o) => o.outcome)).toContain('expired');
    expect(outcomes.map((o) => o.outcome)).not.toContain('executed');
    console.log(`cluster approval expiry: card expired ${elapsed} ms after the request (2 s + margin)`);
  }, 30_000);

  it('a slash command Slack retries runs once: the delivery key is claimed on the cluster', async () => {
    const triggerId = `trig-cluster-${randomBytes(4).toString('hex')}`;
    const first = await app.command('jobs', { userId: 'U0RETRY', triggerId });
    const retry = await app.command('jobs', { userId: 'U0RETRY', triggerId, retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await app.fake.waitForResponse((p) => p.id === first.responseId);
    // A later command is answered; a run of the retry would have been answered by then as well.
    const later = await app.command('help', { userId: 'U0RETRY' });
    await app.fake.waitForResponse((p) => p.id === later.responseId);
    expect(app.fake.responses.filter((p) => p.id === retry.responseId)).toHaveLength(0);
    const audited = await sql<{ command: string }>(app.db.url, `SELECT command FROM audit_log WHERE actor_id = $1`, [
      'U0RETRY',
    ]);
    expect(audited.filter((a) => a.command === 'jobs')).toHaveLength(1);
    // The claim is a key in the cluster under this deployment's prefix, not a Postgres fallback.
    const key = `${app.runtime.options.env.redisPrefix}:delivery:trigger:${triggerId}`;
    expect(await app.runtime.redis.exists(key)).toBe(1);
    expect(app.logs.text()).not.toContain('Slack delivery claimed in Postgres');
  }, 30_000);
});
