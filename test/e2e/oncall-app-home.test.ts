import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_SECRET, TestApp } from '../support/test-app.js';
import { eventBody, postToSlackEndpoint } from '../support/slack-request.js';
import { waitUntil } from '../support/wait.js';

// App Home's "firing alerts in your channels": alerts routed by name to three channels; who sees which depends on
// conversations.members in the fake Slack.
const CONFIG = `
timezone: Europe/Berlin
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: home-token
  routes:
    - { match: { alarmName: 'orders-db*' }, channel: C0DB }
    - { match: { alarmName: 'invoices*' }, channel: G0BILLING }
oncall:
  schedules:
    platform:
      layers:
        primary: { members: [U0ALICE] }
`;

let app: TestApp;

async function sendAlert(key: string) {
  const res = await fetch(`${app.baseUrl}/alerts/webhook`, {
    method: 'POST',
    headers: { authorization: 'Bearer home-token', 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'test', key, title: `${key} is down`, severity: 'P3', state: 'firing' }),
  });
  expect(res.status).toBe(202);
}

async function openHome(user: string): Promise<string> {
  const before = app.fake.callsTo('views.publish').length;
  const res = await postToSlackEndpoint(
    app.baseUrl,
    SIGNING_SECRET,
    eventBody({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' }),
    { contentType: 'application/json' },
  );
  expect(res.status).toBe(200);
  const publish = await waitUntil(`views.publish for ${user}`, () =>
    app.fake
      .callsTo('views.publish')
      .slice(before)
      .find((c) => c.args.user_id === user),
  );
  return typeof publish.args.view === 'string' ? publish.args.view : JSON.stringify(publish.args.view);
}

beforeAll(async () => {
  app = await TestApp.start({ configYaml: CONFIG });
  app.fake.channel('C0DB').members.push('U0ALICE');
  app.fake.channel('C0ALERTS').members.push('U0BOB');
  app.fake.channel('G0BILLING').members.push('U0ALICE', 'U0BOB');
  // The bot lacks groups:read for the private billing channel; the other channels answer from the fake's state.
  app.fake.handle('conversations.members', (args) =>
    args.channel === 'G0BILLING'
      ? { ok: false, error: 'missing_scope', needed: 'groups:read' }
      : { ok: true, members: [...app.fake.channel(String(args.channel)).members], response_metadata: {} },
  );
  await sendAlert('orders-db');
  await sendAlert('checkout');
  await sendAlert('invoices');
  await waitUntil('three alerts stored', async () => {
    const { rows } = await app.runtime.pool.query(`SELECT count(*) AS n FROM alerts WHERE state = 'firing'`);
    return Number(rows[0].n) === 3;
  });
});
afterAll(async () => app?.stop());

describe('App Home: firing alerts in the channels the person is in', () => {
  it('shows each person the alerts of their channels, asking Slack once per channel (cached)', async () => {
    const alice = await openHome('U0ALICE');
    expect(alice).toContain('Firing alerts in your channels');
    expect(alice).toContain('orders-db is down');
    expect(alice).not.toContain('checkout is down');

    const bob = await openHome('U0BOB');
    expect(bob).toContain('checkout is down');
    expect(bob).not.toContain('orders-db is down');

    const carol = await openHome('U0CAROL');
    expect(carol).not.toContain('orders-db is down');
    expect(carol).not.toContain('checkout is down');

    // Three people, three tabs: the members of each channel were asked for once.
    const asked = app.fake.callsTo('conversations.members').map((c) => String(c.args.channel));
    expect(asked.filter((c) => c === 'C0DB')).toHaveLength(1);
    expect(asked.filter((c) => c === 'C0ALERTS')).toHaveLength(1);
  });

  it('keeps the alerts of a channel Slack will not list, and says why', async () => {
    const home = await openHome('U0DAVE');
    expect(home).toContain('invoices is down');
    expect(home).toContain('Could not list the members of <#G0BILLING>');
    expect(home).toContain('groups:read');
    expect(home).not.toContain('orders-db is down');
    // The refusal is remembered for a minute: the next person's tab does not ask again, and says the same.
    const other = await openHome('U0ERIN');
    expect(other).toContain('groups:read');
    const asked = app.fake.callsTo('conversations.members').filter((c) => c.args.channel === 'G0BILLING');
    expect(asked).toHaveLength(1);
  });
});
