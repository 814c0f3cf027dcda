import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import type { Incident } from '../../src/store/incidents.js';
import { ESCALATE_JOB } from '../../src/incidents/timers.js';
import { waitUntil } from '../support/wait.js';

// Short timers through ops.yml durations: P1 escalates after 1 s, P3 after 3 s, P2 only after an hour.
const CONFIG = `
environments:
  prod: {}
channels: { incidents: C0INC }
access:
  roles:
    oncall: { users: [U0ONCALL], usergroups: [S0ONCALL] }
incidents:
  oncallRole: oncall
  updateReminder: 1s
  reminderSeverities: [P0]
  severities:
    P0: { respondWithin: 1h }
    P1: { respondWithin: 1s }
    P2: { respondWithin: 1h }
    P3: { respondWithin: 3s }
`;

describe('incident state and timers (Postgres + Redis)', () => {
  let app: TestApp;
  let replica: TestApp | undefined;

  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
    app.fake.usergroups.S0ONCALL = ['U0GROUPIE'];
  });
  afterAll(async () => {
    await replica?.stop({ keepData: true });
    await app?.stop();
  });

  const run = (target: TestApp, text: string, opts: { actor?: string; channelId?: string; triggerId?: string } = {}) =>
    target.runtime.dispatcher.dispatch({
      text,
      actor: { id: opts.actor ?? 'U0ALICE' },
      channelId: opts.channelId ?? 'C0OPS',
      triggerId: opts.triggerId,
      source: 'slack',
      log: target.runtime.options.log,
    });
  const incidents = () => app.runtime.services.incidents;
  const entries = async (id: number) => incidents().timeline(id);
  const declare = async (text: string, actor = 'U0ALICE'): Promise<Incident> => {
    const result = await run(app, `incident declare ${text}`, { actor, triggerId: `trig-${Math.random()}` });
    if (result.kind !== 'reply') throw new Error('expected a reply');
    const id = Number(/INC-(\d+)/.exec(replyText(result.reply))?.[1]);
    return incidents().target({ id });
  };
  const completedJob = (name: string, incidentId: number) =>
    waitUntil(`${name} of incident ${incidentId} to complete`, async () =>
      (await app.runtime.jobs.queue.getCompleted()).some(
        (j) => j.name === name && (j.data.data as { incidentId: number }).incidentId === incidentId,
      ),
    );
  const hasEntry = (id: number, kind: string, after = new Date(0)) =>
    waitUntil(
      `a ${kind} entry in the timeline of incident ${id}`,
      async () => (await entries(id)).some((e) => e.kind === kind && e.at > after),
      { timeoutMs: 15_000, intervalMs: 100 },
    );

  it('two replicas handling the same declaration create one incident and one channel', async () => {
    replica = await TestApp.start({ configYaml: CONFIG, reuse: { fake: app.fake, db: app.db, redis: app.redis } });
    const before = app.fake.callsTo('conversations.create').length;
    const [a, b] = await Promise.all([
      run(app, 'incident declare P2 Duplicate check', { triggerId: 'same-trigger' }),
      run(replica, 'incident declare P2 Duplicate check', { triggerId: 'same-trigger' }),
    ]);
    const texts = [a, b].map((r) => (r.kind === 'reply' ? replyText(r.reply) : ''));
    expect(app.fake.callsTo('conversations.create').length).toBe(before + 1);
    expect(texts.filter((t) => t.includes('already handled'))).toHaveLength(1);
    expect((await incidents().listOpen()).filter((i) => i.title === 'Duplicate check')).toHaveLength(1);
  });

  it('a system declaration (alerts) needs no trigger id, shows opsbot as creator and invites on-call, user groups included', async () => {
    const result = await run(app, 'incident declare P2 DB CPU above 90%', { actor: 'opsbot', channelId: undefined });
    const id = Number(/INC-(\d+)/.exec(result.kind === 'reply' ? replyText(result.reply) : '')?.[1]);
    const incident = await incidents().target({ id });
    expect(incident).toMatchObject({ declaredBy: 'opsbot', ownerId: undefined, status: 'open' });
    const invited = app.fake
      .callsTo('conversations.invite')
      .filter((c) => c.args.channel === incident.channelId)
      .map((c) => String(c.args.users));
    expect(invited.sort()).toEqual(['U0GROUPIE', 'U0ONCALL']);
    const card = JSON.stringify(app.fake.message(incident.card!.channel, incident.card!.ts));
    expect(card).toContain('*Declared by*\\nopsbot');
    expect(card).toContain('nobody yet');
  });

  it('raising the severity reschedules the escalation to the new, shorter target', async () => {
    const incident = await declare('P2 Slow search');
    // The P2 escalation is set for an hour after the declaration; it has not fired.
    const p2Timer = await waitUntil('the P2 escalation timer', async () =>
      (await app.runtime.jobs.queue.getDelayed()).find(
        (j) => j.name === ESCALATE_JOB && (j.data.data as { incidentId: number }).incidentId === incident.id,
      ),
    );
    expect(p2Timer.delay).toBeGreaterThan(59 * 60_000);
    expect((await entries(incident.id)).some((e) => e.kind === 'escalated')).toBe(false);
    await run(app, `incident severity P1 --id ${incident.id}`);
    await hasEntry(incident.id, 'escalated');
    const esc = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'C0INC' &&
        JSON.stringify(c.args).includes(`INC-${incident.id} (P1) is not acknowledged`),
    );
    expect(JSON.stringify(esc[0].args)).toContain('<!subteam^S0ONCALL>');
    const after = await incidents().target({ id: incident.id });
    expect(after.ackTimerSeq).toBe(1);
    // The stale P2 job of generation 0 never escalates again: one escalation only.
    expect((await entries(incident.id)).filter((e) => e.kind === 'escalated')).toHaveLength(1);
  });

  it('an acknowledgement in time stops the escalation', async () => {
    const incident = await declare('P3 Typo on the pricing page');
    await run(app, `incident ack --id ${incident.id}`, { actor: 'U0BOB' });
    await completedJob('incident.escalate', incident.id);
    expect((await entries(incident.id)).map((e) => e.kind)).toEqual(['declared', 'acknowledged']);
    const acked = await incidents().target({ id: incident.id });
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'U0BOB', ownerId: 'U0ALICE' });
  });

  it('reminds the owner of a P0 without updates, and an update restarts the clock', async () => {
    const incident = await declare('P0 Payments down');
    await hasEntry(incident.id, 'reminder');
    await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === incident.channelId &&
        JSON.stringify(c.args).includes('<@U0ALICE>, no update on'),
    );
    await run(app, `incident update --id ${incident.id} Failing over to the standby`);
    const updated = await incidents().target({ id: incident.id });
    expect(updated.remindersSent).toBe(0);
    await hasEntry(incident.id, 'reminder', updated.lastUpdateAt!);
    const next = (await entries(incident.id)).find((e) => e.kind === 'reminder' && e.at > updated.lastUpdateAt!)!;
    expect(next.at.getTime() - updated.lastUpdateAt!.getTime()).toBeGreaterThanOrEqual(900);
    await run(app, `incident resolve --id ${incident.id} Failed over`);
  }, 40_000);

  it('concurrent acknowledgements: one wins, the other is told who was first', async () => {
    const incident = await declare('P2 Queue backlog');
    const results = await Promise.allSettled([
      incidents().acknowledge(incident.id, 'U0BOB'),
      incidents().acknowledge(incident.id, 'U0CAROL'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason.message)).toContain('already acknowledged');
    expect((await entries(incident.id)).filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('a resolved incident refuses further changes but still takes notes; mitigation is recorded once', async () => {
    const incident = await declare('P2 Image uploads fail');
    const mitigated = await run(app, `incident mitigated --id ${incident.id} Switched to the backup bucket`);
    expect(mitigated.kind === 'reply' && replyText(mitigated.reply)).toContain('mitigated');
    const again = await run(app, `incident update --mitigated --id ${incident.id} again`);
    expect(again.kind === 'reply' && replyText(again.reply)).toContain('already marked mitigated');
    const after = await incidents().target({ id: incident.id });
    expect(after).toMatchObject({ status: 'mitigated', acknowledgedBy: 'U0ALICE' });
    await run(app, `incident resolve --id ${incident.id} Bucket policy fixed`);
    const late = await run(app, `incident severity P0 --id ${incident.id}`);
    expect(late.kind === 'reply' && replyText(late.reply)).toContain('already resolved');
    await run(app, `incident note --id ${incident.id} action: alarm on upload errors`);
    const kinds = (await entries(incident.id)).map((e) => e.kind);
    expect(kinds).toEqual(['declared', 'mitigated', 'resolved', 'note']);
    const resolved = await incidents().target({ id: incident.id });
    expect(resolved.mitigatedAt!.getTime()).toBeLessThan(resolved.resolvedAt!.getTime());
  });

  it('rejects a bad severity or user with what to type instead', async () => {
    const bad = await run(app, 'incident declare P7 Something');
    expect(bad.kind === 'reply' && replyText(bad.reply)).toContain('is not one of P0, P1, P2, P3, P4');
    const plain = await run(app, 'incident assign @bob --id 1');
    expect(plain.kind === 'reply' && replyText(plain.reply)).toContain('plain text');
  });
});
