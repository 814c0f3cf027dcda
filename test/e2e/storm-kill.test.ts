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

// A 2,000-notification storm for 100 alarms sent to a real `opsbot serve` (OPSBOT_WORKER=off) while a
// separate `opsbot worker` runs the pipeline and the outbox; the worker is SIGKILLed when about half were
// accepted and a new one is started. Every accepted alarm must end up in Slack exactly once, and Postgres
// must count exactly the notifications that got a 202: none lost with the killed worker, none counted twice
// when its jobs are taken back.

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

describe('SIGKILL halfway through a 2,000-notification storm', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let fake: FakeSlack;
  let store: pg.Client;
  let env: NodeJS.ProcessEnv;
  const procs: OpsbotProcess[] = [];
  const names = Array.from({ length: ALARMS }, (_, i) => `kill-alarm-${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    db = await createTestDatabase('opsbot_storm_kill');
    redis = createTestRedis('opsbot-storm-kill');
    fake = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-storm-kill-'));
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

  /** Sends notification `i` (alarm i % ALARMS) until it gets an HTTP answer; returns the status. */
  const send = async (baseUrl: () => string, i: number): Promise<number> => {
    const name = names[i % ALARMS];
    const body = JSON.stringify({ source: 'storm', key: name, title: name, severity: 'warning', state: 'firing' });
    const res = await fetch(`${baseUrl()}/alerts/webhook`, {
      method: 'POST',
      headers: { authorization: 'Bearer kill-token', 'content-type': 'application/json' },
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

  it('the worker killed mid-storm: every accepted alarm shown once, counted exactly as accepted', async () => {
    const serve = start(['serve']);
    const baseUrl = await serve.listening(40_000);
    const first = await startWorker();
    let worker = first;
    let countedAtKill = 0;
    const accepted = new Map<string, number>();
    let acceptedTotal = 0;
    let killedAt: number | undefined;
    let restarted: Promise<void> | undefined;
    const began = Date.now();
    let next = 0;
    const sender = async () => {
      while (next < TOTAL) {
        const i = next++;
        const status = await send(() => baseUrl, i);
        expect(status).toBe(202);
        accepted.set(names[i % ALARMS], (accepted.get(names[i % ALARMS]) ?? 0) + 1);
        if (++acceptedTotal >= TOTAL / 2 && killedAt === undefined) {
          killedAt = acceptedTotal;
          restarted = (async () => {
            await first.stop('SIGKILL');
            countedAtKill = (await store.query('SELECT coalesce(sum(count), 0)::int AS n FROM alerts')).rows[0].n;
            worker = await startWorker();
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    await restarted;
    const sentMs = Date.now() - began;
    expect(first.signal).toBe('SIGKILL');
    expect(acceptedTotal).toBe(TOTAL);
    // The killed worker had done part of the work, not none and not all.
    expect(countedAtKill).toBeGreaterThan(0);
    expect(countedAtKill).toBeLessThan(TOTAL);

    await waitUntil(
      'every accepted alarm in Slack once and counted as accepted in Postgres',
      async () => {
        if (!worker.running) throw new Error(`the new worker exited: ${worker.stderr}`);
        const shown = shownIn();
        const counts = await countsInStore();
        return [...accepted].every(([n, c]) => shown.get(n) === 1 && counts.get(n) === c);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const deliveredMs = Date.now() - began;
    // The same figures, asserted directly so a failure shows which alarm is off.
    const counts = await countsInStore();
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(accepted));
    expect([...shownIn().values()].every((n) => n === 1)).toBe(true);
    console.log(
      `storm-kill worker: killed at ${killedAt} accepted (${countedAtKill} counted), sent in ${sentMs} ms, delivered in ${deliveredMs} ms`,
    );
  }, 150_000);
});
