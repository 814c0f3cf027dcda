import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIGNING_SECRET, TestApp, replyText } from '../support/test-app.js';
import { eventBody, postToSlackEndpoint } from '../support/slack-request.js';
import { waitUntil } from '../support/wait.js';
import { PAGE_ACK } from '../../views/oncall-page.js';

// Short policy durations keep the chain to seconds: primary at once, secondary at 1 s, escalation at 2 s.
export const ONCALL_CONFIG = `
timezone: Europe/Berlin
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: page-token
oncall:
  schedules:
    platform:
      channel: C0ONCALL
      usergroup: S0ONCALL
      layers:
        primary: { members: [U0ALICE] }
        secondary: { members: [U0BOB] }
        escalation: { members: [U0CAROL] }
    support:
      layers:
        primary: { members: [U0DAVE, U0ERIN], rotation: daily, handoff: "09:00" }
  policies:
    P1:
      schedule: platform
      steps:
        - { notify: [primary], after: 0s }
        - { notify: [secondary], after: 1s }
        - { notify: [escalation], after: 2s }
      repeat: until-acknowledged
      repeatAfter: 1h
`;

type App = TestApp;
const dmsTo = (app: App, user: string) =>
  app.fake.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.args.channel === user && c.response.ok);
const pageIdIn = (call: { args: Record<string, unknown> }): string => {
  const m = /"action_id":"oncall\.page\.ack","value":"(\d+)"/.exec(JSON.stringify(call.args));
  if (!m) throw new Error('no Acknowledge button in the page DM');
  return m[1];
};
const timersDrained = async (app: App) =>
  (await app.runtime.jobs.queue.getJobs(['delayed', 'waiting', 'active'])).filter((j) => j?.name === 'oncall.page')
    .length === 0;

async function sendAlert(app: App, key: string, severity = 'P1') {
  const res = await fetch(`${app.baseUrl}/alerts/webhook`, {
    method: 'POST',
    headers: { authorization: 'Bearer page-token', 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'test', key, title: `${key} is down`, severity, state: 'firing' }),
  });
  expect(res.status).toBe(202);
}

describe('on-call escalation, end to end', () => {
  let app: App;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: ONCALL_CONFIG });
  });
  afterAll(async () => app?.stop());
  beforeEach(() => app.fake.reset());

  it('an unacknowledged P1 alert pages primary, then secondary, and stops when acknowledged from the DM', async () => {
    await sendAlert(app, 'checkout-api');
    const alice = await waitUntil('primary paged', () => dmsTo(app, 'U0ALICE')[0]);
    expect(JSON.stringify(alice.args)).toContain('checkout-api is down');
    expect(dmsTo(app, 'U0BOB')).toHaveLength(0);
    const bob = await waitUntil('secondary paged after 1s', () => dmsTo(app, 'U0BOB')[0], { timeoutMs: 8000 });
    const pageId = pageIdIn(bob);
    const click = await app.click(PAGE_ACK, pageId, { userId: 'U0BOB', channelId: 'D0BOB' });
    expect(click.status).toBe(200);
    const page = await waitUntil('page acknowledged', async () => {
      const { rows } = await app.runtime.pool.query('SELECT * FROM oncall_pages WHERE id = $1', [pageId]);
      return rows[0].status === 'acknowledged' ? rows[0] : undefined;
    });
    expect(page.acknowledged_by).toBe('U0BOB');
    // The alert itself is acknowledged too, and the escalation timer (due at 2 s) finds nothing to do.
    await waitUntil('the alert acknowledged too', async () => {
      const { rows } = await app.runtime.pool.query(`SELECT acked_by FROM alerts WHERE title = 'checkout-api is down'`);
      return rows[0]?.acked_by === 'U0BOB';
    });
    await waitUntil('the escalation timer ran', () => timersDrained(app), { timeoutMs: 8000 });
    expect(dmsTo(app, 'U0CAROL')).toHaveLength(0);
    expect(dmsTo(app, 'U0ALICE')).toHaveLength(1);
    await waitUntil('the acknowledgement said in the alert channel', () =>
      app.fake
        .callsTo('chat.postMessage')
        .some((c) => c.args.channel === 'C0ALERTS' && JSON.stringify(c.args).includes('time to acknowledge')),
    );
  });

  it('a P1 incident pages primary, secondary and escalation; acknowledging the incident stops it, all on the timeline', async () => {
    const reply = await app.ask('incident declare P1 payments failing', { userId: 'U0ZED' });
    expect(replyText(reply) + reply.text).toMatch(/INC-\d+/);
    await waitUntil('escalation paged', () => dmsTo(app, 'U0CAROL')[0], { timeoutMs: 10_000 });
    expect(dmsTo(app, 'U0ALICE')).toHaveLength(1);
    expect(dmsTo(app, 'U0BOB')).toHaveLength(1);
    const { rows } = await app.runtime.pool.query(`SELECT id FROM incidents ORDER BY id DESC LIMIT 1`);
    const id = rows[0].id;
    const ack = await app.ask(`incident ack --id ${id}`, { userId: 'U0CAROL' });
    expect(replyText(ack) + ack.text).not.toContain('error');
    const timeline = await waitUntil('acknowledgement on the timeline', async () => {
      const { rows: t } = await app.runtime.pool.query('SELECT text FROM incident_timeline WHERE incident_id = $1', [
        id,
      ]);
      const text = t.map((r) => r.text).join('\n');
      return ['time to acknowledge', 'paged secondary', 'paged escalation'].every((t) => text.includes(t))
        ? text
        : undefined;
    });
    expect(timeline).toContain('paged primary: <@U0ALICE>');
    expect(timeline).toContain('paged secondary: <@U0BOB>');
    expect(timeline).toContain('paged escalation: <@U0CAROL>');
    const { rows: pages } = await app.runtime.pool.query(
      `SELECT status FROM oncall_pages WHERE subject_kind = 'incident' AND subject_id = $1`,
      [String(id)],
    );
    expect(pages.map((p) => p.status)).toEqual(['acknowledged']);
  });

  it('keeps the schedule user group equal to who is on call, and says so when the scope is missing', async () => {
    app.fake.usergroups.S0ONCALL = ['U0OLD'];
    await app.runtime.jobs.enqueue('oncall.tick', { data: {}, meta: { title: 'tick', requestedBy: 'test' } });
    await waitUntil('user group updated', () => app.fake.usergroups.S0ONCALL?.join(',') === 'U0ALICE,U0BOB,U0CAROL');
    const update = app.fake.callsTo('usergroups.users.update')[0];
    expect(update.args.usergroup).toBe('S0ONCALL');

    app.fake.usergroups.S0ONCALL = ['U0OLD'];
    app.fake.handle('usergroups.users.update', () => ({
      ok: false,
      error: 'missing_scope',
      needed: 'usergroups:write',
    }));
    await app.runtime.jobs.enqueue('oncall.tick', { data: {}, meta: { title: 'tick', requestedBy: 'test' } });
    const warning = await waitUntil(
      'missing scope said in the schedule channel',
      () => app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0ONCALL')[0],
    );
    expect(JSON.stringify(warning.args)).toContain('usergroups:write');
    const status = await app.ask('oncall platform');
    expect(replyText(status)).toContain('usergroups:write');
  });

  it('publishes the App Home tab on app_home_opened', async () => {
    const res = await postToSlackEndpoint(
      app.baseUrl,
      SIGNING_SECRET,
      eventBody({ type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' }),
      { contentType: 'application/json' },
    );
    expect(res.status).toBe(200);
    const publish = await waitUntil('views.publish', () => app.fake.callsTo('views.publish')[0]);
    expect(publish.args.user_id).toBe('U0ALICE');
    const view = typeof publish.args.view === 'string' ? JSON.parse(publish.args.view) : publish.args.view;
    expect(view.type).toBe('home');
    expect(JSON.stringify(view)).toContain('You are on call now');
  });
});

describe('two replicas on one database and Redis prefix', () => {
  let first: App;
  let second: App;
  beforeAll(async () => {
    first = await TestApp.start({ configYaml: ONCALL_CONFIG });
    second = await TestApp.start({
      configYaml: ONCALL_CONFIG,
      reuse: { fake: first.fake, db: first.db, redis: first.redis },
    });
  });
  afterAll(async () => {
    await second?.stop({ keepData: true });
    await first?.stop();
  });

  it('page each person once', async () => {
    await sendAlert(first, 'orders-db');
    await sendAlert(second, 'orders-db');
    const carol = await waitUntil('escalation paged', () => dmsTo(first, 'U0CAROL')[0], { timeoutMs: 10_000 });
    expect(dmsTo(first, 'U0ALICE')).toHaveLength(1);
    expect(dmsTo(first, 'U0BOB')).toHaveLength(1);
    expect(dmsTo(first, 'U0CAROL')).toHaveLength(1);
    await second.click(PAGE_ACK, pageIdIn(carol), { userId: 'U0CAROL', channelId: 'D0CAROL' });
    await waitUntil('acknowledged', async () => {
      const { rows } = await first.runtime.pool.query(`SELECT status FROM oncall_pages`);
      return rows.length === 1 && rows[0].status === 'acknowledged';
    });
  });
});
