import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpsgenie, startFakePagerDuty, type FakePager } from '../support/fake-pagers.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// Outbound paging end to end: the real app, configured in ops.yml, forwards pages to local fakes of PagerDuty's
// Events API v2 and Opsgenie's Alert API. Only primary is paged (secondary is an hour away) so each test sees one
// trigger per page; short timeouts and one retry keep the failure path to about a second.
const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const GENIE_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';
const CONFIG = `
timezone: Europe/Berlin
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: page-token
oncall:
  schedules:
    platform:
      layers:
        primary: { members: [U0ALICE] }
        secondary: { members: [U0BOB] }
  policies:
    P1:
      steps:
        - { notify: [primary], after: 0s }
        - { notify: [secondary], after: 1h }
  pagers:
    pagerduty: { routingKey: ${ROUTING_KEY}, baseUrl: '\${PD_URL}', timeout: 300ms, retries: 1, severities: [P1] }
    opsgenie: { apiKey: ${GENIE_KEY}, baseUrl: '\${OG_URL}', timeout: 300ms, retries: 1, severities: [P1] }
`;

let app: TestApp;
let pd: FakePager;
let og: FakePager;
const bodies = (pager: FakePager) => pager.requests.map((r) => r.body as Record<string, unknown>);
const ogPaths = () => og.requests.map((r) => `${r.method} ${r.path}`);
const dmsTo = (user: string) =>
  app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.response.ok);
const postsIn = (channel: string) =>
  app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response.ok);

async function declareP1(title: string): Promise<{ id: number; channelId: string }> {
  const reply = await app.ask(`incident declare P1 ${title}`, { userId: 'U0ZED' });
  expect(replyText(reply) + reply.text).toMatch(/INC-\d+/);
  const { rows } = await app.runtime.pool.query(`SELECT id, channel_id FROM incidents WHERE title = $1`, [title]);
  expect(rows[0].channel_id).toBeTruthy();
  return { id: Number(rows[0].id), channelId: rows[0].channel_id };
}

async function sendAlert(key: string, state: 'firing' | 'resolved') {
  const res = await fetch(`${app.baseUrl}/alerts/webhook`, {
    method: 'POST',
    headers: { authorization: 'Bearer page-token', 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'test', key, title: `${key} is down`, severity: 'P1', state }),
  });
  expect(res.status).toBe(202);
}

beforeAll(async () => {
  [pd, og] = await Promise.all([startFakePagerDuty(ROUTING_KEY), startFakeOpsgenie(GENIE_KEY)]);
  app = await TestApp.start({ configYaml: CONFIG, yamlEnv: { PD_URL: pd.url, OG_URL: og.url } });
});
afterAll(async () => {
  await app?.stop();
  await Promise.all([pd?.close(), og?.close()]);
});
beforeEach(() => {
  app.fake.reset();
  pd.requests.length = 0;
  og.requests.length = 0;
});

describe('outbound paging to PagerDuty and Opsgenie', () => {
  it('a P1 incident pages the on-call and triggers, acknowledges and resolves on both pagers under one dedup key', async () => {
    const { id } = await declareP1('payments failing');
    await waitUntil('primary paged in Slack', () => dmsTo('U0ALICE')[0]);
    const dedup = `incident-${id}`;
    const trigger = await waitUntil('PagerDuty trigger', () => bodies(pd).find((b) => b.event_action === 'trigger'));
    expect(trigger).toMatchObject({
      routing_key: ROUTING_KEY,
      dedup_key: dedup,
      payload: { summary: 'payments failing', source: 'opsbot', severity: 'critical' },
    });
    const alert = await waitUntil('Opsgenie alert', () => og.requests.find((r) => r.path === '/v2/alerts'));
    expect(alert.headers.authorization).toBe(`GenieKey ${GENIE_KEY}`);
    expect(alert.body).toMatchObject({ message: 'payments failing', alias: dedup, priority: 'P2' });

    await app.ask(`incident ack --id ${id}`, { userId: 'U0ALICE' });
    await waitUntil('acknowledged on both pagers', () =>
      bodies(pd).some((b) => b.event_action === 'acknowledge' && b.dedup_key === dedup) &&
      ogPaths().includes(`POST /v2/alerts/${dedup}/acknowledge?identifierType=alias`)
        ? true
        : undefined,
    );
    await app.ask(`incident resolve --id ${id} fixed the card processor`, { userId: 'U0ALICE' });
    await waitUntil('resolved on both pagers', () =>
      bodies(pd).some((b) => b.event_action === 'resolve' && b.dedup_key === dedup) &&
      ogPaths().includes(`POST /v2/alerts/${dedup}/close?identifierType=alias`)
        ? true
        : undefined,
    );
    // In order, once each: the forwarding of one page is a chain, not a race.
    expect(bodies(pd).map((b) => b.event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(og.requests).toHaveLength(3);
  });

  it('a P1 alert triggers under the alert dedup key and resolves there when the alert resolves', async () => {
    await sendAlert('orders-db', 'firing');
    await waitUntil('primary paged in Slack', () => dmsTo('U0ALICE')[0]);
    const trigger = await waitUntil('PagerDuty trigger', () => bodies(pd).find((b) => b.event_action === 'trigger'));
    const { rows } = await app.runtime.pool.query(`SELECT id FROM alerts WHERE title = 'orders-db is down'`);
    expect(trigger.dedup_key).toBe(`alert-${rows[0].id}`);
    await sendAlert('orders-db', 'resolved');
    const resolve = await waitUntil('PagerDuty resolve', () => bodies(pd).find((b) => b.event_action === 'resolve'));
    expect(resolve.dedup_key).toBe(trigger.dedup_key);
    await waitUntil('Opsgenie close', () =>
      ogPaths().find((p) => p === `POST /v2/alerts/alert-${rows[0].id}/close?identifierType=alias`),
    );
  });

  it('pagers answering 5xx or not answering are retried, then said in the incident channel; Slack still pages', async () => {
    pd.script(
      { status: 503, body: { message: 'Service Unavailable' } },
      { status: 503, body: { message: 'Service Unavailable' } },
    );
    og.script('hang', 'hang');
    const { id, channelId } = await declareP1('search is slow');
    // The Slack page does not wait for the pagers' retries.
    await waitUntil('primary paged in Slack', () => dmsTo('U0ALICE')[0]);
    const said = await waitUntil('both failures said in the incident channel', () => {
      const texts = postsIn(channelId).map((c) => JSON.stringify(c.args));
      const pdDown = texts.find((t) => t.includes('Could not forward the page') && t.includes('to PagerDuty'));
      const ogDown = texts.find((t) => t.includes('Could not forward the page') && t.includes('to Opsgenie'));
      return pdDown && ogDown ? { pdDown, ogDown } : undefined;
    });
    expect(said.pdDown).toContain('PagerDuty is not taking events (HTTP 503: Service Unavailable) after 2 attempts');
    expect(said.ogDown).toContain('Opsgenie is not taking events (no answer within 300 ms) after 2 attempts');
    expect(said.pdDown).not.toContain(ROUTING_KEY);
    expect(said.ogDown).not.toContain(GENIE_KEY);
    // One retry each: two requests for the one trigger.
    expect(bodies(pd).filter((b) => b.event_action === 'trigger' && b.dedup_key === `incident-${id}`)).toHaveLength(2);
    expect(og.requests.filter((r) => r.path === '/v2/alerts')).toHaveLength(2);
    const { rows } = await app.runtime.pool.query(
      `SELECT e.detail FROM oncall_page_events e JOIN oncall_pages p ON p.id = e.page_id
        WHERE e.kind = 'pager_failed' AND p.subject_id = $1 ORDER BY e.id`,
      [String(id)],
    );
    expect(rows.map((r) => r.detail.pager).sort()).toEqual(['Opsgenie', 'PagerDuty']);
  });

  it('a pager refusing the event (400) is not retried and says what PagerDuty said', async () => {
    pd.script({
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] },
    });
    const { channelId } = await declareP1('login errors');
    const down = await waitUntil('refusal said in the incident channel', () =>
      postsIn(channelId)
        .map((c) => JSON.stringify(c.args))
        .find((t) => t.includes('to PagerDuty')),
    );
    expect(down).toContain('PagerDuty refused the event (HTTP 400: Event object is invalid: Invalid routing key)');
    expect(bodies(pd).filter((b) => b.event_action === 'trigger')).toHaveLength(1);
  });
});
