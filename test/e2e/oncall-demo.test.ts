import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { PAGE_ACK } from '../../views/oncall-page.js';

// The demo's own on-call section (src/sandbox/demo.ops.yml), so what a newcomer sees in the playground is what is
// tested: `/ops oncall`, then a P1 whose chain runs primary → secondary (1 min) → escalation (2 min). The test owns
// the clock and moves it on; the minute tick fires steps that are due by that clock.
const demo = parse(readFileSync(new URL('../../src/sandbox/demo.ops.yml', import.meta.url), 'utf8'));
const CONFIG = stringify({
  timezone: demo.timezone,
  environments: { prod: {} }, // the demo's AWS, databases and probes are not needed for on-call
  channels: demo.channels,
  access: demo.access,
  incidents: demo.incidents,
  oncall: demo.oncall,
});
const PEOPLE = ['U0ALICE', 'U0BOB', 'U0CAROL'];

let app: TestApp;
const start = Date.now();
let now = new Date(start);
const dms = () =>
  app.fake
    .callsTo('chat.postMessage')
    .filter(
      (c) => PEOPLE.includes(String(c.args.channel)) && c.response.ok && JSON.stringify(c.args).includes(PAGE_ACK),
    );

async function tickAt(offsetMs: number): Promise<void> {
  now = new Date(start + offsetMs);
  const job = await app.runtime.jobs.enqueue('oncall.tick', { data: {}, meta: { title: 'tick', requestedBy: 'test' } });
  await waitUntil('the tick ran', async () => (await app.runtime.jobs.queue.getJob(job.id!))?.isCompleted());
}

beforeAll(async () => {
  app = await TestApp.start({ configYaml: CONFIG, clock: () => now });
});
afterAll(async () => app?.stop());

describe('on-call in the demo configuration', () => {
  it('/ops oncall names the platform schedule, and a P1 escalates through it until acknowledged', async () => {
    const status = replyText(await app.ask('oncall', { userId: 'U0CAROL' }));
    for (const word of ['platform', 'primary', 'secondary', 'escalation', '<@U0CAROL>']) expect(status).toContain(word);

    await app.ask('incident declare P1 checkout failing', { userId: 'U0CAROL' });
    const first = await waitUntil('primary paged at once', () => dms()[0]);
    const primary = String(first.args.channel);
    expect(['U0ALICE', 'U0BOB']).toContain(primary);
    expect(status).toContain(`<@${primary}>`);

    await tickAt(30_000);
    expect(dms()).toHaveLength(1); // secondary is due at 1 min

    await tickAt(91_000);
    const second = await waitUntil('secondary paged after a minute', () => dms()[1]);
    expect(second.args.channel).toBe('U0CAROL');

    await tickAt(151_000);
    const third = await waitUntil('escalation paged after two minutes', () => dms()[2]);
    expect(third.args.channel).toBe('U0BOB');

    const pageId = /"action_id":"oncall\.page\.ack","value":"(\d+)"/.exec(JSON.stringify(third.args))![1];
    await app.click(PAGE_ACK, pageId, { userId: 'U0BOB', channelId: 'D0BOB' });
    await waitUntil('acknowledged', async () => {
      const { rows } = await app.runtime.pool.query('SELECT status FROM oncall_pages WHERE id = $1', [pageId]);
      return rows[0]?.status === 'acknowledged';
    });
    // Past the repeat (5 min after the last step), nothing more: the chain stopped.
    await tickAt(10 * 60_000);
    expect(dms()).toHaveLength(3);
  });
});
