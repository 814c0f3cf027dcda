import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { PAGE_ACK } from '../../views/oncall-page.js';

// The test owns the clock: the daily handoff is set a few minutes ahead of the real time (so what the test
// creates now falls in the shift that ends there), and the clock is moved past it when the test says so.
const MINUTE = 60_000;
const handoffAt = new Date(Math.floor((Date.now() + 5 * MINUTE) / MINUTE) * MINUTE);
const hhmm = handoffAt.toISOString().slice(11, 16);
const startDay = new Date(handoffAt.getTime() - 86_400_000).toISOString().slice(0, 10); // Alice's shift, ending at hhmm
const CONFIG = `
timezone: UTC
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: page-token
oncall:
  schedules:
    platform:
      channel: C0ONCALL
      layers:
        primary: { members: [U0ALICE, U0BOB], rotation: daily, handoff: '${hhmm}', start: '${startDay}' }
`;

let app: TestApp;
let now = new Date();
const postsTo = (channel: string) =>
  app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response.ok);
const handoffPosts = (channel: string) =>
  postsTo(channel)
    .map((c) => JSON.stringify(c.args))
    .filter((t) => t.includes('on call now'));

async function tick(): Promise<string> {
  const job = await app.runtime.jobs.enqueue('oncall.tick', { data: {}, meta: { title: 'tick', requestedBy: 'test' } });
  const done = await waitUntil('the tick ran', async () => {
    // The state is read after the job: read it again once completed, or its return value may predate it.
    const j = await app.runtime.jobs.queue.getJob(job.id!);
    return (await j?.isCompleted()) ? app.runtime.jobs.queue.getJob(job.id!) : undefined;
  });
  return JSON.stringify(done.returnvalue);
}

async function sendAlert(key: string, severity: string) {
  const res = await fetch(`${app.baseUrl}/alerts/webhook`, {
    method: 'POST',
    headers: { authorization: 'Bearer page-token', 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'test', key, title: `${key} is down`, severity, state: 'firing' }),
  });
  expect(res.status).toBe(202);
}

beforeAll(async () => {
  app = await TestApp.start({ configYaml: CONFIG, clock: () => now });
});
afterAll(async () => app?.stop());

describe('the handoff message', () => {
  it('at the handoff: the channel and the incoming person hear what is open and what the last shift saw, once', async () => {
    // During Alice's shift: an incident (P2, not paged), a P3 alert, a P1 alert that pages Alice and which
    // she acknowledges, and an approval waiting.
    const declared = await app.ask('incident declare P2 reports are slow', { userId: 'U0ZED' });
    expect(replyText(declared) + declared.text).toMatch(/INC-\d+/);
    await sendAlert('search-latency', 'P3');
    await sendAlert('orders-db', 'P1');
    const page = await waitUntil('Alice paged', () =>
      postsTo('U0ALICE').find((c) => JSON.stringify(c.args).includes(PAGE_ACK)),
    );
    const pageId = /"action_id":"oncall\.page\.ack","value":"(\d+)"/.exec(JSON.stringify(page.args))![1];
    await app.click(PAGE_ACK, pageId, { userId: 'U0ALICE', channelId: 'D0ALICE' });
    await app.runtime.pool.query(
      `INSERT INTO approvals (expires_at, command, command_text, env, risk, effect, requested_by)
       VALUES (now() + interval '1 hour', 'restart', 'restart prod api', 'prod', 'dangerous', 'restarts', 'U0ZED')`,
    );
    await waitUntil('both alerts stored and the page acknowledged', async () => {
      const { rows } = await app.runtime.pool.query(
        `SELECT (SELECT count(*) FROM alerts WHERE state = 'firing') AS alerts,
                (SELECT count(*) FROM oncall_pages WHERE status = 'acknowledged') AS acked`,
      );
      return Number(rows[0].alerts) === 2 && Number(rows[0].acked) === 1;
    });

    // Before the handoff: nothing to announce.
    expect(await tick()).toContain('0 handoff(s)');
    expect(handoffPosts('C0ONCALL')).toHaveLength(0);

    now = new Date(handoffAt.getTime() + 10_000);
    // This tick or the minute's scheduled one (which reads the same clock) announces it; which one does not matter.
    await tick();
    const [channel] = await waitUntil('handoff in the schedule channel', () => handoffPosts('C0ONCALL'));
    expect(channel).toContain('<@U0BOB> is on call now');
    expect(channel).toContain('(from <@U0ALICE>)');
    const [dm] = await waitUntil('handoff DM to the incoming person', () => handoffPosts('U0BOB'));
    expect(dm).toContain('You are on call now: *platform / primary*');
    expect(dm).toContain('taking over from <@U0ALICE>');
    for (const text of [channel, dm]) {
      expect(text).toContain('Open incidents (1)');
      expect(text).toContain('reports are slow');
      expect(text).toContain('Firing alerts (2)');
      expect(text).toContain('search-latency is down');
      expect(text).toContain('orders-db is down');
      expect(text).toContain('Pending approvals (1)');
      expect(text).toContain('restart prod api');
      expect(text).toContain('Last shift: 1 incident(s), 2 alert(s), 1 page(s), 1 acknowledged (median');
    }
    // Alice, going off call, gets no handoff DM.
    expect(handoffPosts('U0ALICE')).toHaveLength(0);

    // A later tick (or another replica's) within the lookback announces nothing again.
    now = new Date(handoffAt.getTime() + 70_000);
    expect(await tick()).toContain('0 handoff(s)');
    expect(handoffPosts('C0ONCALL')).toHaveLength(1);
    expect(handoffPosts('U0BOB')).toHaveLength(1);
  });
});
