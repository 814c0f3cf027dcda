import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../support/databases.js';
import { startFaultProxy, targetOf, viaProxy, type FaultProxy } from '../support/fault-proxy.js';
import { TestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const CONFIG = `
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: outage-token
  groupWindow: 1s
  storm: { threshold: 5, window: 1m }
`;

interface Sent {
  key: string;
  status: number;
  ms: number;
  retryAfter: string | null;
}

describe('Redis cut for 10 s in the middle of a 1,000-notification storm', () => {
  let app: TestApp;
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy({ target: targetOf(TEST_REDIS_URL, 6379) });
    app = await TestApp.start({ configYaml: CONFIG, env: { redisUrl: viaProxy(TEST_REDIS_URL, proxy) } });
  });
  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
  });

  const send = async (key: string): Promise<Sent> => {
    const started = Date.now();
    const res = await fetch(`${app.baseUrl}/alerts/webhook`, {
      method: 'POST',
      headers: { authorization: 'Bearer outage-token', 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'bench', key, title: key, severity: 'warning', state: 'firing' }),
      signal: AbortSignal.timeout(15_000), // SNS's delivery timeout
    });
    await res.arrayBuffer();
    return { key, status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after') };
  };
  const wave = (from: number, n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => send(`outage-alarm-${String(from + i).padStart(4, '0')}`)));
  const readyz = async () => {
    const res = await fetch(`${app.baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: (await res.json()) as { down?: string[] } };
  };

  it('answers every notification with 2xx (and shows it once) or 503 with Retry-After, each within 3 s', async () => {
    // A 1,000-notification storm with Redis cut for 10 s in its middle, sent in waves of 50 (SNS's pace per topic).
    const sent: Sent[] = [];
    const waves = async (until: () => boolean) => {
      while (until()) sent.push(...(await wave(sent.length, 50)));
    };
    await waves(() => sent.length < 400);

    proxy.cut();
    const cutAt = Date.now();
    await waitUntil('/readyz to name Redis', async () => {
      const r = await readyz();
      return r.status === 503 && r.body.down?.some((d) => d.startsWith('redis'));
    });
    expect(Date.now() - cutAt).toBeLessThan(5000);
    await waves(() => sent.length < 700 && Date.now() - cutAt < 10_000);
    // The outage lasts 10 s (the scenario's length, not a wait for something to happen).
    await waitUntil('the 10 s outage to pass', () => Date.now() - cutAt >= 10_000, { timeoutMs: 15_000 });

    proxy.restore();
    await waitUntil('/readyz to answer 200 after the outage', async () => (await readyz()).status === 200, {
      timeoutMs: 30_000,
    });
    const beforeAfter = sent.length;
    await waves(() => sent.length < 1000);
    expect(sent.length - beforeAfter).toBeGreaterThan(0);

    for (const s of sent) expect([202, 503], `${s.key} answered ${s.status}`).toContain(s.status);
    const accepted = sent.filter((s) => s.status === 202);
    const refused = sent.filter((s) => s.status === 503);
    expect(refused.length).toBeGreaterThan(0); // the cut was felt…
    expect(refused.every((s) => s.retryAfter === '5')).toBe(true);
    // …and answered promptly, never hung (the first wave also pays for a cold process on a busy machine).
    const slow = sent.slice(400).filter((s) => s.ms >= 3000);
    expect(slow, 'requests during and after the outage slower than 3 s').toEqual([]);

    // Every accepted notification ends up stored once and in a message Slack has.
    const shown = async () => {
      const { rows } = await app.runtime.pool.query<{ dedupe_key: string; count: number; ts: string | null }>(
        `SELECT a.dedupe_key, a.count, m.ts FROM alerts a LEFT JOIN alert_messages m ON m.id = a.message_id
          WHERE m.synced_version = m.version`,
      );
      return new Map(rows.filter((r) => r.ts).map((r) => [r.dedupe_key.replace(/^generic:/, ''), r.count]));
    };
    const visible = await waitUntil(
      `all ${accepted.length} accepted alarms in a message Slack has`,
      async () => {
        const map = await shown();
        return accepted.every((s) => [...map.keys()].some((k) => k.endsWith(s.key))) && map;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    const { rows } = await app.runtime.pool.query<{ dedupe_key: string; rows: number; count: number }>(
      `SELECT dedupe_key, count(*)::int AS rows, sum(count)::int AS count FROM alerts GROUP BY dedupe_key`,
    );
    for (const r of rows) expect(r, `${r.dedupe_key} stored once`).toMatchObject({ rows: 1, count: 1 });
    const refusedKeys = new Set(refused.map((s) => s.key));
    // A 503 stored nothing (except, at most, a request already on the wire when the cut came).
    const storedRefused = rows.filter((r) => [...refusedKeys].some((k) => r.dedupe_key.endsWith(k)));
    expect(storedRefused.length).toBeLessThanOrEqual(2);
    expect(visible.size).toBeGreaterThanOrEqual(accepted.length);
  }, 180_000);
});
