import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/core/alert.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// Issue 20, "the fake Slack answering 500 for 20 s while 20 alarms arrive": every alarm is shown exactly once
// after Slack recovers — nothing dropped, nothing posted twice, each alert message in its newest state.

const CONFIG = `
environments:
  prod: { region: us-east-1 }
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: test-token
  groupWindow: 1s
  sweepEvery: 1s
  storm: { threshold: 100, window: 1m }
`;
const OUTAGE_MS = 20_000;
const NAMES = Array.from({ length: 20 }, (_, i) => `s500-alarm-${String(i).padStart(2, '0')}`);
const RESOLVED = NAMES.slice(0, 5); // resolved while Slack is still down: their messages must end resolved

const alarm = (key: string, state: 'firing' | 'resolved' = 'firing'): NormalizedAlert => ({
  source: 'generic',
  key,
  title: key,
  alarmName: key,
  state,
  environment: 'prod',
  at: new Date().toISOString(),
});

/** The alert message id a post carries in its Slack metadata (see src/slack/alert-post-recovery.ts). */
function messageIdOf(call: RecordedCall): string {
  const raw = call.args.metadata;
  const meta = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { event_payload?: { message_id?: string } };
  return String(meta?.event_payload?.message_id);
}

describe('Slack answering 500 for 20 s while 20 alarms arrive', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const refusedPosts = () => app.fake.callsTo('chat.postMessage').filter((c) => c.status === 500).length;
  const channelText = () => (app.fake.messages['C0ALERTS'] ?? []).map((m) => JSON.stringify(m));
  const drained = async () => {
    const b = await app.runtime.outbox.backlog();
    return b.pending + b.retrying + b.unsyncedMessages === 0;
  };

  it('shows every alarm exactly once, in its newest state, after Slack recovers', async () => {
    const started = Date.now();
    app.fake.serverErrorFor(['chat.postMessage', 'chat.update'], OUTAGE_MS);
    const outageEnds = started + OUTAGE_MS;

    // Four batches of five, each after the outbox has been refused a few more times (so they span several
    // group windows), then five of the first alarms resolve — all while Slack still answers 500.
    for (let batch = 0; batch < 4; batch++) {
      if (batch > 0) await waitUntil(`${2 * batch} refused posts`, () => refusedPosts() >= 2 * batch);
      for (const name of NAMES.slice(batch * 5, batch * 5 + 5)) await app.runtime.alerts.pipeline.process(alarm(name));
    }
    for (const name of RESOLVED) await app.runtime.alerts.pipeline.process(alarm(name, 'resolved'));

    await waitUntil('outbox deliveries retrying', async () => (await app.runtime.outbox.backlog()).retrying >= 1);
    const during = replyText(await app.ask('jobs'));
    expect(Date.now()).toBeLessThan(outageEnds); // all of the above happened inside the outage
    expect(during).toMatch(/Slack outbox:\* .*retrying after Slack refused or throttled/);
    expect(app.fake.calls.filter((c) => c.method.startsWith('chat.') && c.status === 200)).toEqual([]);
    expect(channelText()).toEqual([]);
    const inOutage = Date.now() - started;

    await waitUntil(
      'all 20 alarms in Slack and the outbox drained',
      async () => {
        const text = channelText().join('');
        return NAMES.every((n) => text.includes(`· ${n}*`)) && (await drained());
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const recoveredAfter = Date.now() - outageEnds;

    const messages = channelText();
    for (const name of NAMES) {
      const showing = messages.filter((m) => m.includes(`· ${name}*`));
      expect(showing, `${name} shown in exactly one message`).toHaveLength(1);
      expect(showing[0].includes(`RESOLVED · ${name}*`), `${name} in its newest state`).toBe(RESOLVED.includes(name));
    }
    const posted = app.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.status === 200 && c.args.channel === 'C0ALERTS');
    const perMessage = new Map<string, number>();
    for (const c of posted) perMessage.set(messageIdOf(c), (perMessage.get(messageIdOf(c)) ?? 0) + 1);
    expect(
      [...perMessage.values()].every((n) => n === 1),
      JSON.stringify([...perMessage]),
    ).toBe(true);
    expect(perMessage.size).toBe(messages.length); // one post per alert message, and no stray messages
    expect(perMessage.has('undefined')).toBe(false);
    const { rows } = await app.runtime.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM alerts WHERE state = 'resolved'`,
    );
    expect(rows[0].n).toBe(RESOLVED.length);
    expect(replyText(await app.ask('jobs'))).toContain('Slack outbox:* nothing waiting');
    console.log(
      `slack-500-storm: ${refusedPosts()} posts refused, ${messages.length} alert messages, ` +
        `alarms in by ${inOutage} ms, all shown ${recoveredAfter} ms after Slack recovered`,
    );
  }, 100_000);
});
