import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const CONFIG = `
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: storm-token
  groupWindow: 2s
  storm: { threshold: 5, window: 1m }
`;

describe('an alert storm through the webhook', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
    app.fake.enforceChannelRate({ perSecond: 1, burst: 3 });
  });
  afterAll(async () => app?.stop());

  const send = (body: unknown, token = 'storm-token') =>
    fetch(`${app.baseUrl}/alerts/webhook`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses calls without the bearer token and explains a bad payload', async () => {
    expect((await send({ title: 'x' }, 'wrong')).status).toBe(401);
    const bad = await send({ what: 'ever' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('unknown payload');
  });

  it('80 notifications for 40 alarms become a couple of messages that show every alarm, with nothing lost', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `storm-alarm-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(
      [...names, ...names].map((name) =>
        send({ source: 'bench', key: name, title: name, severity: 'warning', state: 'firing' }),
      ),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);

    const visible = () => {
      const posted = app.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.status === 200 && c.args.channel === 'C0ALERTS');
      const text = posted.map((c) => JSON.stringify(app.fake.message('C0ALERTS', c.response.ts))).join('');
      return names.filter((n) => text.includes(n)).length;
    };
    await waitUntil(`all ${names.length} alarms visible in Slack`, () => visible() === names.length, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });

    const posts = app.fake.callsTo('chat.postMessage').filter((c) => c.status === 200);
    expect(posts.length).toBeLessThanOrEqual(3); // the first group, the storm summary (and at most one more group)
    const storm = posts
      .map((c) => app.fake.message('C0ALERTS', c.response.ts))
      .find((m) => JSON.stringify(m).includes('Alert storm'));
    expect(storm).toBeDefined();
    const { rows } = await app.runtime.pool.query(
      `SELECT count(*)::int AS alarms, sum(count)::int AS notifications FROM alerts WHERE source = 'generic'`,
    );
    expect(rows[0]).toEqual({ alarms: 40, notifications: 80 });
  });
});
