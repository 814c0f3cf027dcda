import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { OpsbotProcess } from '../support/opsbot-process.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { blockActionBody, newTriggerId, signSlackRequest, slashCommandBody } from '../support/slack-request.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { ALERTS_CHANNEL, CHECKLIST_CHANNEL, replicasConfig, slotAfter } from '../support/replicas-config.js';

// Two `opsbot serve` replicas (OPSBOT_WORKER=off) behind a round-robin TCP balancer, and two separate
// `opsbot worker` processes, all on one Postgres database, one Redis prefix and one ops.yml. Everything is
// sent through the balancer on a new connection each time, so consecutive requests reach different replicas,
// and each thing that must happen once is counted where it would show twice: Slack posts, rows, jobs.

describe('two serve replicas behind a round-robin balancer, two workers', () => {
  let target: TestDatabase;
  let db: TestDatabase;
  let redis: TestRedis;
  let fake: FakeSlack;
  let proxy: RoundRobinProxy;
  let store: pg.Client;
  let queueConnection: Redis;
  let jobsQueue: Queue;
  const serves: OpsbotProcess[] = [];
  const workers: OpsbotProcess[] = [];
  // Far enough ahead for four processes to start on a loaded machine; checked below before it is relied on.
  const slot = slotAfter(60_000);
  let registeredAt = Infinity;

  beforeAll(async () => {
    target = await createTestDatabase('opsbot_replicas_target');
    const setup = new pg.Client({ connectionString: target.url });
    await setup.connect();
    await setup.query('CREATE TABLE orders (id int PRIMARY KEY, note text)');
    await setup.query('INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 2000) g');
    await setup.end();
    db = await createTestDatabase('opsbot_replicas');
    redis = createTestRedis('opsbot-replicas');
    fake = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-replicas-'));
    writeFileSync(join(dir, 'ops.yml'), replicasConfig({ targetUrl: target.url, checklistCron: slot.cron }));
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      OPSBOT_REDIS_PREFIX: redis.prefix,
      OPS_CONFIG: join(dir, 'ops.yml'),
      OPSBOT_WORKER: 'off',
    };
    // The replicas apply the migrations (under an advisory lock); the workers start on the migrated database.
    serves.push(OpsbotProcess.start(['serve'], env), OpsbotProcess.start(['serve'], env));
    const urls = await Promise.all(serves.map((s) => s.listening(40_000)));
    proxy = await startRoundRobinProxy(urls.map((u) => ({ port: Number(new URL(u).port) })));
    workers.push(OpsbotProcess.start(['worker'], env), OpsbotProcess.start(['worker'], env));
    await Promise.all(
      workers.map((w, i) =>
        waitUntil(
          `worker ${i} to register the checklist schedules`,
          () => {
            if (!w.running) throw new Error(`worker ${i} exited (${w.exitCode ?? w.signal}): ${w.stderr}`);
            return w.logged('checklist schedules registered').length > 0;
          },
          { timeoutMs: 40_000 },
        ),
      ),
    );
    registeredAt = Date.now();
    store = new pg.Client({ connectionString: db.url });
    await store.connect();
    queueConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    jobsQueue = new Queue('ops-jobs', { connection: queueConnection, prefix: redis.prefix });
  }, 80_000);

  afterAll(async () => {
    await Promise.all([...serves, ...workers].map((p) => p.stop('SIGKILL').catch(() => undefined)));
    await jobsQueue?.close();
    queueConnection?.disconnect();
    await store?.end();
    await proxy?.close();
    await fake?.close();
    await db?.drop();
    await target?.drop();
    await redis?.cleanup();
  });

  /** POSTs through the balancer on a connection of its own (`Connection: close`), so the next one goes elsewhere. */
  const post = async (path: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(`${proxy.url}${path}`, {
      method: 'POST',
      headers: { Connection: 'close', ...headers },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, text: await res.text() };
  };
  const toSlack = (body: string, opts: { retryNum?: number } = {}) =>
    post('/slack/events', body, {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(SIGNING_SECRET, body),
      ...(opts.retryNum !== undefined
        ? { 'X-Slack-Retry-Num': String(opts.retryNum), 'X-Slack-Retry-Reason': 'http_timeout' }
        : {}),
    });
  const command = (text: string, userId: string, channelId = 'C0OPS') => {
    const responseId = `r${Math.random().toString(36).slice(2, 10)}`;
    const body = slashCommandBody({
      text,
      userId,
      channelId,
      responseUrl: fake.responseUrl(responseId),
      triggerId: newTriggerId(),
    });
    return { body, responseId };
  };
  const sql = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
    (await store.query(text, values)).rows as T[];
  /** Which replica took each of the last `n` connections the balancer accepted. */
  const lastRouted = (n: number) => proxy.routed.slice(-n);
  const dmsTo = (user: string) =>
    fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.status === 200 && c.response.ok);

  it('approval clicked on both replicas at once: the plan runs once (one job, one "executed" audit row)', async () => {
    const request = command('db reindex local orders --blocking', 'U0ALICE');
    expect((await toSlack(request.body)).status).toBe(200);
    const [card] = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        JSON.stringify(c.args).includes('approval.approve') &&
        JSON.stringify(c.args).includes('REINDEX'),
      { timeoutMs: 10_000 },
    );
    const approvalId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.args))![1];
    const click = (userId: string) =>
      toSlack(
        blockActionBody({
          actionId: 'approval.approve',
          value: approvalId,
          userId,
          channelId: String(card.args.channel),
          messageTs: String(card.response.ts),
          responseUrl: fake.responseUrl(`a${userId}`),
        }),
      );
    // Two approvers press Approve at the same moment, each through a different replica.
    const answers = await Promise.all([click('U0BOB'), click('U0CAROL')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(new Set(lastRouted(2)).size).toBe(2);

    // The settling worker writes the approval's status, then its audit row: wait for the row.
    const audit = await waitUntil(
      'the "executed" audit row',
      () =>
        sql<{ outcome: string; job_id: string | null }>(
          `SELECT outcome, detail->>'jobId' AS job_id FROM audit_log WHERE detail->>'approvalId' = $1 ORDER BY id`,
          [approvalId],
        ).then((rows) => (rows.some((a) => a.outcome === 'executed') ? rows : undefined)),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const [executed] = await sql<{ status: string; job_id: string }>(
      `SELECT status, job_id FROM approvals WHERE id = $1`,
      [approvalId],
    );
    expect(executed.status).toBe('executed');
    expect(audit.filter((a) => a.outcome === 'executed').map((a) => a.job_id)).toEqual([String(executed.job_id)]);
    expect(audit.filter((a) => a.outcome === 'approved')).toHaveLength(1);
    const reindexJobs = (await jobsQueue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'])).filter(
      (j) => j?.name === 'db.reindex',
    );
    expect(reindexJobs.map((j) => String(j.id))).toEqual([String(executed.job_id)]);
    // The click that lost the race was told so rather than ignored.
    const refused = await fake.waitForResponse((p) => /^aU0(BOB|CAROL)$/.test(p.id), { timeoutMs: 5000 });
    expect(refused).toHaveLength(1);
    expect(JSON.stringify(refused[0].body)).toMatch(/Already approved by <@U0(BOB|CAROL)>/);
  }, 45_000);

  it('an incident declaration Slack retries through the other replica declares one incident', async () => {
    const declare = command('incident declare P2 replica retry drill', 'U0ALICE');
    // The retry arrives while the first delivery is still being worked on, as when Slack's 3 s timer fires.
    const answers = await Promise.all([toSlack(declare.body), toSlack(declare.body, { retryNum: 1 })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(new Set(lastRouted(2)).size).toBe(2);
    await fake.waitForResponse((p) => p.id === declare.responseId, { timeoutMs: 10_000 });
    await waitUntil('one replica to ignore the retried delivery', () =>
      serves.some((s) => s.logged('duplicate Slack delivery ignored').length > 0),
    );
    expect(serves.map((s) => s.logged('duplicate Slack delivery ignored').length).sort()).toEqual([0, 1]);
    const incidents = await sql(`SELECT id FROM incidents WHERE title = 'replica retry drill'`);
    expect(incidents).toHaveLength(1);
    expect(fake.responses.filter((p) => p.id === declare.responseId)).toHaveLength(1);
  }, 30_000);

  it('one alarm posted to the webhook through both replicas many times: one message, the right count', async () => {
    const N = 30;
    const alarm = JSON.stringify({
      source: 'replicas',
      key: 'replica-alarm',
      title: 'replica-alarm',
      severity: 'warning',
      state: 'firing',
    });
    const sent = await Promise.all(
      Array.from({ length: N }, () =>
        post('/alerts/webhook', alarm, { authorization: 'Bearer replica-token', 'content-type': 'application/json' }),
      ),
    );
    expect(sent.map((s) => s.status)).toEqual(Array(N).fill(202));
    const routed = lastRouted(N);
    expect(routed.filter((r) => r === 0)).toHaveLength(N / 2);

    await waitUntil(
      `the alert message to show ${N}×`,
      () => JSON.stringify(fake.messages[ALERTS_CHANNEL] ?? []).includes(`${N}× · last`),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const [row] = await sql<{ count: number }>(`SELECT count FROM alerts WHERE title = 'replica-alarm'`);
    expect(row.count).toBe(N);
    expect(fake.messages[ALERTS_CHANNEL]).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === ALERTS_CHANNEL)).toHaveLength(1);
  }, 45_000);

  it('a P1 incident’s escalation timers page each step once with two workers', async () => {
    const declare = command('incident declare P1 replica paging drill', 'U0ZED');
    expect((await toSlack(declare.body)).status).toBe(200);
    const [incident] = await waitUntil('the P1 incident', () =>
      sql<{ id: number }>(`SELECT id FROM incidents WHERE title = 'replica paging drill'`).then((r) => r[0] && r),
    );
    // The chain is over when its third firing is recorded with no next one due.
    await waitUntil(
      'the chain to fire its last step',
      () =>
        sql<{ fired: number; next_fire_at: Date | null }>(
          `SELECT fired, next_fire_at FROM oncall_pages WHERE subject_kind = 'incident' AND subject_id = $1`,
          [String(incident.id)],
        ).then((r) => r.length === 1 && r[0].fired === 3 && r[0].next_fire_at === null),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    await waitUntil(
      'no page timer left',
      async () =>
        (await jobsQueue.getJobs(['delayed', 'waiting', 'active'])).filter((j) => j?.name === 'oncall.page').length ===
        0,
    );
    await waitUntil('escalation paged', () => dmsTo('U0CAROL').length > 0);
    expect(['U0ALICE', 'U0BOB', 'U0CAROL'].map((u) => dmsTo(u).length)).toEqual([1, 1, 1]);
    const paged = await sql<{ seq: number; user_ids: string[] }>(
      `SELECT e.seq, e.user_ids FROM oncall_page_events e JOIN oncall_pages p ON p.id = e.page_id
        WHERE p.subject_kind = 'incident' AND p.subject_id = $1 AND e.kind = 'paged' ORDER BY e.seq`,
      [String(incident.id)],
    );
    expect(paged.map((e) => e.user_ids)).toEqual([['U0ALICE'], ['U0BOB'], ['U0CAROL']]);
  }, 40_000);

  it('a checklist due now is posted once although both workers registered its schedule', async () => {
    // Both workers must have registered the schedule before its slot, or this would prove nothing.
    expect(registeredAt).toBeLessThan(slot.at.getTime());
    const run = await waitUntil(
      `the checklist due at ${slot.at.toISOString()} to be posted`,
      () =>
        sql<{ id: string; message_ts: string | null; scheduled_for: Date }>(
          `SELECT id, message_ts, scheduled_for FROM checklist_runs WHERE checklist = 'replica-check'`,
        ).then((r) => (r[0]?.message_ts ? r : undefined)),
      { timeoutMs: Math.max(0, slot.at.getTime() - Date.now()) + 20_000, intervalMs: 200 },
    );
    expect(run).toHaveLength(1);
    expect(run[0].scheduled_for.toISOString()).toBe(slot.at.toISOString());
    // Its one job (the scheduler's for this slot) has finished: nothing else is coming for it.
    await waitUntil('the scheduled post job to complete', async () =>
      (await jobsQueue.getJobs(['completed'])).some((j) => j?.name === 'checklist.post'),
    );
    const postJobs = (await jobsQueue.getJobs(['completed', 'failed', 'active', 'waiting'])).filter(
      (j) => j?.name === 'checklist.post',
    );
    expect(postJobs).toHaveLength(1);
    const posts = fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === CHECKLIST_CHANNEL && !c.args.thread_ts && c.status === 200);
    expect(posts).toHaveLength(1);
    expect(String(posts[0].args.text)).toContain('Replica check');
  }, 70_000);
});
