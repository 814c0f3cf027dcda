import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/alerts/types.js';
import { TestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const CONFIG = `
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: count-token
  groupWindow: 1s
`;

const alert = (key: string): NormalizedAlert => ({
  source: 'generic',
  key,
  title: key,
  state: 'firing',
  at: new Date().toISOString(),
});

describe('alarm counts are idempotent per notification', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
  });
  afterAll(async () => app?.stop());

  const countOf = async (key: string) =>
    // the key as stored (the webhook adds its own namespace)
    (
      await app.runtime.pool.query<{ count: number }>(
        `SELECT count FROM alerts WHERE dedupe_key LIKE '%' || $1 AND state = 'firing'`,
        [key],
      )
    ).rows[0]?.count;

  it('the same notification processed twice counts once; a new one counts again', async () => {
    const { pipeline } = app.runtime.alerts;
    await pipeline.process(alert('count-a'), 'n-count-a-1');
    await pipeline.process(alert('count-a'), 'n-count-a-1');
    expect(await countOf('count-a')).toBe(1);
    await pipeline.process(alert('count-a'), 'n-count-a-2');
    expect(await countOf('count-a')).toBe(2);
  });

  it('a job that fails after counting and is retried by BullMQ does not count the notification again', async () => {
    const outbox = app.runtime.alerts.outbox;
    const original = outbox.requestSync.bind(outbox);
    let failures = 0;
    // The Redis step after the count fails once, as during a blip: BullMQ retries the whole job.
    outbox.requestSync = async (...args: Parameters<typeof original>) => {
      if (failures++ === 0) throw new Error('injected: Redis went away after the count');
      return original(...args);
    };
    try {
      const res = await fetch(`${app.baseUrl}/alerts/webhook`, {
        method: 'POST',
        headers: { authorization: 'Bearer count-token', 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'bench', key: 'count-retried', title: 'count-retried', state: 'firing' }),
      });
      expect(res.status).toBe(202);
      await waitUntil('the retried job to post the alarm', () =>
        app.fake.calls.some(
          (c) => c.method.startsWith('chat.') && c.status === 200 && JSON.stringify(c.args).includes('count-retried'),
        ),
      );
      await waitUntil('BullMQ to retry the job', () => failures >= 2);
      expect(await countOf('count-retried')).toBe(1);
    } finally {
      outbox.requestSync = original;
    }
  });
});
