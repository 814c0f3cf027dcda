import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from '../support/test-app.js';

// A team whose monitoring says "sev1"/"sev2" and whose "warning" is only worth a low-priority look.
const CONFIG = `
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: words-token
  groupWindow: 1s
  severityWords: { sev1: P0, warning: P3 }
  routes:
    - { match: { severity: P0 }, channel: C0PAGE }
    - { match: { severity: P3 }, channel: C0LOW }
`;

describe('alerts.severityWords from ops.yml decide the severity of parsed alarms (webhook → pipeline → Slack)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
  });
  afterAll(async () => app?.stop());

  const post = (body: unknown) =>
    fetch(`${app.baseUrl}/alerts/webhook`, {
      method: 'POST',
      headers: { authorization: 'Bearer words-token', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const stored = async (title: string) =>
    (
      await app.runtime.pool.query<{ severity: string; channel_id: string }>(
        `SELECT severity, channel_id FROM alerts WHERE title LIKE $1 || '%'`,
        [title],
      )
    ).rows[0];
  const postedIn = (channel: string, text: string) =>
    app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        c.status === 200 &&
        JSON.stringify(c.args).includes(text),
      { timeoutMs: 15_000 },
    );

  it('a custom word (sev1) makes a generic alert P0, routed and shown as P0', async () => {
    expect((await post({ source: 'grafana', key: 'checkout', title: 'checkout-down', severity: 'sev1' })).status).toBe(
      202,
    );
    const [message] = await postedIn('C0PAGE', 'checkout-down');
    expect(JSON.stringify(message.args)).toContain('P0');
    expect(await stored('checkout-down')).toEqual({ severity: 'P0', channel_id: 'C0PAGE' });
  });

  it('a remapped default word (warning → P3) moves an Alertmanager alert off the default P2', async () => {
    const res = await post({
      version: '4',
      status: 'firing',
      receiver: 'opsbot',
      commonLabels: {},
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'DiskFilling', severity: 'warning' },
          annotations: { summary: 'disk 85 % full' },
          startsAt: new Date().toISOString(),
          fingerprint: 'disk-filling',
        },
      ],
    });
    expect(res.status).toBe(202);
    await postedIn('C0LOW', 'DiskFilling');
    expect(await stored('DiskFilling')).toEqual({ severity: 'P3', channel_id: 'C0LOW' });
  });
});
