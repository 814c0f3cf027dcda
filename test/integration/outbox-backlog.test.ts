import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/core/alert.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// While Slack refuses, alert messages wait in the outbox; /ops jobs and /metrics show that backlog, and it
// empties once Slack answers again (issue 20: "The outbox's backlog is visible in /metrics and in /ops jobs").

const CONFIG = `
environments:
  prod: { region: us-east-1 }
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: test-token
  groupWindow: 1s
  sweepEvery: 1s
`;

const alarm = (key: string): NormalizedAlert => ({
  source: 'generic',
  key,
  title: key,
  alarmName: key,
  state: 'firing',
  environment: 'prod',
  at: new Date().toISOString(),
});

describe('the Slack outbox backlog', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const scrape = async () => (await fetch(`${app.baseUrl}/metrics`)).text();

  it('is empty when nothing waits', async () => {
    const reply = await app.ask('jobs');
    expect(replyText(reply)).toContain('Slack outbox:* nothing waiting');
    expect(await scrape()).toMatch(/^opsbot_outbox_backlog\{state="retrying"\} 0$/m);
  });

  it('shows deliveries retrying while Slack answers 500, and drains after', async () => {
    // Four refusals: the outbox retries after 1 s, 2 s and 4 s, so the message waits about 7 s in all.
    app.fake.serverErrorNext('chat.postMessage', 500, 4);
    await app.runtime.alerts.pipeline.process(alarm('backlog-while-slack-is-down'));
    await waitUntil(
      'an outbox delivery waiting to retry',
      async () => (await app.runtime.outbox.backlog()).retrying >= 1,
    );

    const during = replyText(await app.ask('jobs'));
    expect(during).toMatch(/Slack outbox:\* .*retrying after Slack refused or throttled/);
    expect(during).toContain('1 alert message not yet updated');
    const metrics = await scrape();
    expect(metrics).toMatch(/^opsbot_outbox_backlog\{state="retrying"\} 1$/m);
    expect(metrics).toMatch(/^opsbot_outbox_backlog\{state="unsynced_messages"\} 1$/m);
    expect(Number(/^opsbot_outbox_oldest_seconds (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);

    await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.status === 200 &&
        JSON.stringify(c.args).includes('backlog-while-slack-is-down'),
      { timeoutMs: 20_000 },
    );
    await waitUntil('the outbox to drain', async () => {
      const b = await app.runtime.outbox.backlog();
      return b.pending + b.retrying + b.unsyncedMessages === 0;
    });
    expect(replyText(await app.ask('jobs'))).toContain('Slack outbox:* nothing waiting');
    expect(await scrape()).toMatch(/^opsbot_outbox_backlog\{state="unsynced_messages"\} 0$/m);
  });
});
