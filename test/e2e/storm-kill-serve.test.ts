import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { OpsbotProcess } from '../support/opsbot-process.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// As storm-kill.test.ts, but the SERVE process is SIGKILLed when about half the 2,000 notifications were
// accepted: the requests in flight get no answer, and the sender sends those again (as SNS does, with the
// same notification id, here the Idempotency-Key header) to the restarted serve. Whatever got a 202 must be in
// Slack once and counted once: a notification queued just before the kill and sent again counts once.

const CONFIG = `
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: kill-token
  groupWindow: 2s
`;
const TOTAL = 2000;
const ALARMS = 100;
const CONCURRENCY = 32;

describe('serve SIGKILLed halfway through a 2,000-notification storm', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let fake: FakeSlack;
  let store: pg.Client;
  let env: NodeJS.ProcessEnv;
  const procs: OpsbotProcess[] = [];
  const names = Array.from({ length: ALARMS }, (_, i) => `kill-alarm-${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    db = await createTestDatabase('opsbot_storm_kill_serve');
    redis = createTestRedis('opsbot-storm-kill-serve');
    fake = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-storm-kill-serve-'));
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
      OPSBOT_WORKER: 'off',
    };
    store = new pg.Client({ connectionString: db.url });
    await store.connect();
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGKILL').catch(() => undefined)));
    await store?.end();
    await fake?.close();
    await db?.drop();
    await redis?.cleanup();
  });

  const start = (args: string[]) => {
    const p = OpsbotProcess.start(args, env);
    procs.push(p);
    return p;
  };
  /** A worker, once it logs that it takes jobs (so the storm below reaches a worker that is running). */
  const startWorker = async () => {
    const w = start(['worker']);
    await waitUntil(
      'the worker to log "job worker started"',
      () => {
        if (!w.running) throw new Error(`worker exited (${w.exitCode ?? w.signal}): ${w.stderr}`);
        return w.logged('job worker started').length > 0;
      },
      { timeoutMs: 40_000 },
    );
    return w;
  };

  /** Sends notification `i` (alarm i % ALARMS) once; returns the status, or throws when there is no answer. */
  const send = async (baseUrl: string, i: number): Promise<number> => {
    const name = names[i % ALARMS];
    const body = JSON.stringify({ source: 'storm', key: name, title: name, severity: 'warning', state: 'firing' });
    const res = await fetch(`${baseUrl}/alerts/webhook`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer kill-token',
        'content-type': 'application/json',
        'idempotency-key': `storm-${i}`,
      },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    return res.status;
  };

  /** Each alarm's name → in how many of the channel's messages (latest content) it shows. */
  const shownIn = () => {
    const texts = (fake.messages['C0ALERTS'] ?? []).map((m) => JSON.stringify(m));
    return new Map(names.map((n) => [n, texts.filter((t) => t.includes(n)).length]));
  };
  const countsInStore = async () => {
    const rows = (await store.query('SELECT title, sum(count)::int AS n FROM alerts GROUP BY title')).rows as {
      title: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.title, r.n]));
  };

  it('serve killed mid-storm: what got a 202 is shown once and counted once, retries included', async () => {
    let serve = start(['serve']);
    const first = serve;
    let ready: Promise<string> = serve.listening(40_000);
    await ready;
    await startWorker();
    const accepted = new Map<string, number>();
    let acceptedTotal = 0;
    let retried = 0;
    let killedAt: number | undefined;
    const began = Date.now();
    let next = 0;
    const sender = async () => {
      while (next < TOTAL) {
        const i = next++;
        for (let attempt = 0; ; attempt++) {
          const url = await ready;
          const status = await send(url, i).catch(() => 0);
          if (status === 202) break;
          expect(status, `notification ${i} answered ${status}`).toBe(0);
          // No answer: only the killed serve fails so; the retry waits for the restarted one (no sleeping).
          if (serve.running && (await ready) === url && attempt > 3) throw new Error(`${url} does not answer`);
          retried++;
        }
        accepted.set(names[i % ALARMS], (accepted.get(names[i % ALARMS]) ?? 0) + 1);
        if (++acceptedTotal >= TOTAL / 2 && killedAt === undefined) {
          killedAt = acceptedTotal;
          ready = (async () => {
            await first.stop('SIGKILL');
            serve = start(['serve']);
            return serve.listening(40_000);
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    const sentMs = Date.now() - began;
    expect(first.signal).toBe('SIGKILL');
    expect(acceptedTotal).toBe(TOTAL);

    await waitUntil(
      'every accepted alarm in Slack once and counted as accepted in Postgres',
      async () => {
        const shown = shownIn();
        const counts = await countsInStore();
        return [...accepted].every(([n, c]) => shown.get(n) === 1 && counts.get(n) === c);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    ).catch(() => undefined); // the expectations below then show which alarms are off

    const deliveredMs = Date.now() - began;
    expect(Object.fromEntries(await countsInStore())).toEqual(Object.fromEntries(accepted));
    expect([...shownIn().values()].every((n) => n === 1)).toBe(true);
    console.log(
      `storm-kill serve: killed at ${killedAt} accepted, ${retried} sent again, sent in ${sentMs} ms, delivered in ${deliveredMs} ms`,
    );
  }, 150_000);
});
