import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { PAGE_ESCALATE } from '../../views/oncall-page.js';

// The steps after primary are hours away, so anything paged within the test came from the Escalate button.
// The response targets are one second, so the old one-shot escalation would fire during the test if it ran.
const CONFIG = `
timezone: Europe/Berlin
environments:
  prod: {}
channels: { alerts: C0ALERTS }
incidents:
  severities:
    P1: { respondWithin: 1s }
    P2: { respondWithin: 1s }
    P3: { respondWithin: 1s }
oncall:
  schedules:
    platform:
      layers:
        primary: { members: [U0ALICE] }
        secondary: { members: [U0BOB] }
        escalation: { members: [U0CAROL] }
  policies:
    P1:
      steps:
        - { notify: [primary], after: 0s }
        - { notify: [secondary], after: 1h }
        - { notify: [escalation], after: 2h }
`;

let app: TestApp;
const dmsTo = (user: string) =>
  app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.response.ok);
const buttonValue = (call: { args: Record<string, unknown> }, actionId: string): string => {
  const m = new RegExp(`"action_id":"${actionId.replace(/\./g, '\\.')}","value":"(\\d+)"`).exec(
    JSON.stringify(call.args),
  );
  if (!m) throw new Error(`no ${actionId} button in the message`);
  return m[1];
};
const timeline = async (id: number) =>
  (
    await app.runtime.pool.query('SELECT kind, text FROM incident_timeline WHERE incident_id = $1 ORDER BY id', [id])
  ).rows.map((r) => `${r.kind}: ${r.text}`);

async function declare(severity: string, title: string): Promise<number> {
  const reply = await app.ask(`incident declare ${severity} ${title}`, { userId: 'U0ZED' });
  expect(replyText(reply) + reply.text).toMatch(/INC-\d+/);
  const { rows } = await app.runtime.pool.query('SELECT id FROM incidents WHERE title = $1', [title]);
  return Number(rows[0].id);
}

const oneShotEscalation = /not acknowledged by .* escalated to on-call/;

beforeAll(async () => {
  app = await TestApp.start({ configYaml: CONFIG });
});
afterAll(async () => app?.stop());
beforeEach(() => app.fake.reset());

describe('the Escalate button on a page DM', () => {
  it('pages the next step at once, each press on the timeline, and says so to the presser', async () => {
    const id = await declare('P1', 'checkout failing');
    const alice = await waitUntil('primary paged', () => dmsTo('U0ALICE')[0]);
    expect(dmsTo('U0BOB')).toHaveLength(0);
    const pageId = buttonValue(alice, PAGE_ESCALATE);

    const click = await app.click(PAGE_ESCALATE, pageId, { userId: 'U0ALICE', channelId: 'D0ALICE' });
    expect(click.status).toBe(200);
    const bob = await waitUntil('secondary paged at once, not in an hour', () => dmsTo('U0BOB')[0]);
    const [answer] = await app.fake.waitForResponse((p) => p.id === click.responseId);
    expect(JSON.stringify(answer.body)).toContain('Escalated: paged U0BOB (step 2, pass 1)');

    await app.click(PAGE_ESCALATE, buttonValue(bob, PAGE_ESCALATE), { userId: 'U0BOB', channelId: 'D0BOB' });
    await waitUntil('escalation paged', () => dmsTo('U0CAROL')[0]);
    const text = await waitUntil('both presses on the timeline', async () => {
      const t = (await timeline(id)).join('\n');
      return t.includes('paged escalation: <@U0CAROL> (step 3)') ? t : undefined;
    });
    expect(text).toContain('paged primary: <@U0ALICE> (step 1)');
    expect(text).toContain('paged secondary: <@U0BOB> (step 2)');
    // Each person was paged once: the button moves the chain on, it does not repeat a step.
    expect(dmsTo('U0ALICE')).toHaveLength(1);
    expect(dmsTo('U0BOB')).toHaveLength(1);
  });

  it('refuses on an acknowledged page and pages nobody', async () => {
    const id = await declare('P1', 'search down');
    const alice = await waitUntil('primary paged', () => dmsTo('U0ALICE')[0]);
    await app.ask(`incident ack --id ${id}`, { userId: 'U0ALICE' });
    await waitUntil('page acknowledged', async () => {
      const { rows } = await app.runtime.pool.query(`SELECT status FROM oncall_pages WHERE subject_id = $1`, [
        String(id),
      ]);
      return rows[0]?.status === 'acknowledged';
    });
    const click = await app.click(PAGE_ESCALATE, buttonValue(alice, PAGE_ESCALATE), { userId: 'U0ALICE' });
    const [answer] = await app.fake.waitForResponse((p) => p.id === click.responseId);
    expect(JSON.stringify(answer.body)).toContain('This page is acknowledged; nothing to escalate.');
    expect(dmsTo('U0BOB')).toHaveLength(0);
  });
});

describe('one escalation per incident: paging or the one-shot response-target escalation, never both', () => {
  it('a paged P1 has no one-shot escalation; an unpaged P2 keeps it', async () => {
    const paged = await declare('P1', 'payments failing');
    const unpaged = await declare('P2', 'slow reports');
    await waitUntil('primary paged for the P1', () => dmsTo('U0ALICE')[0]);
    // Both response targets are 1 s: once the P2 has escalated, the P1 would have too.
    await waitUntil('the P2 escalated the old way', async () =>
      (await timeline(unpaged)).some((t) => oneShotEscalation.test(t)),
    );
    const p1 = await timeline(paged);
    expect(p1.some((t) => oneShotEscalation.test(t))).toBe(false);
    expect(p1.some((t) => t.includes('paged primary: <@U0ALICE>'))).toBe(true);
    const { rows } = await app.runtime.pool.query('SELECT subject_id FROM oncall_pages WHERE subject_kind = $1', [
      'incident',
    ]);
    expect(rows.map((r) => Number(r.subject_id))).not.toContain(unpaged);
    const jobs = await app.runtime.jobs.queue.getJobs(['delayed', 'waiting', 'active', 'completed']);
    const oneShots = jobs.filter((j) => j?.name === 'incident.escalate').map((j) => j.data.data.incidentId);
    expect(oneShots).toContain(unpaged);
    expect(oneShots).not.toContain(paged);
  });

  it('a one-shot timer scheduled before paging applied does nothing for a paged severity', async () => {
    const id = await declare('P1', 'login errors');
    const { rows } = await app.runtime.pool.query('SELECT ack_timer_seq FROM incidents WHERE id = $1', [id]);
    const job = await app.runtime.jobs.enqueue('incident.escalate', {
      data: { incidentId: id, seq: rows[0].ack_timer_seq },
      meta: { title: 'left over from before on-call', requestedBy: 'test' },
    });
    const done = await waitUntil('the leftover timer ran', async () => {
      // Read again once completed: the job read before the state check may predate its return value.
      const j = await app.runtime.jobs.queue.getJob(job.id!);
      return (await j?.isCompleted()) ? app.runtime.jobs.queue.getJob(job.id!) : undefined;
    });
    expect(JSON.stringify(done.returnvalue)).toContain('on-call paging escalates P1 incidents');
    expect((await timeline(id)).some((t) => oneShotEscalation.test(t))).toBe(false);
  });

  it('raising an unacknowledged incident to P1 pages the on-call instead of scheduling the one-shot', async () => {
    const id = await declare('P3', 'typo on the pricing page');
    await app.ask(`incident severity P1 --id ${id}`, { userId: 'U0ZED' });
    const alice = await waitUntil('primary paged after the raise', () =>
      dmsTo('U0ALICE').find((c) => JSON.stringify(c.args).includes('typo on the pricing page')),
    );
    expect(JSON.stringify(alice.args)).toContain(`Incident INC-${id}`);
    const jobs = await app.runtime.jobs.queue.getJobs(['delayed', 'waiting', 'active', 'completed']);
    const seqs = jobs
      .filter((j) => j?.name === 'incident.escalate' && j.data.data.incidentId === id)
      .map((j) => j.data.data.seq);
    // The P3 timer (seq 0) was scheduled at declaration; none for the P1 (seq 1).
    expect(seqs).toEqual([0]);
  });
});
