import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { TestApp, SIGNING_SECRET, replyText } from '../support/test-app.js';
import { blockActionBody, postToSlackEndpoint } from '../support/slack-request.js';
import { createTestRedis } from '../support/databases.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { syncSchedulers } from '../../src/checklists/scheduler.js';
import { resolveChecklists } from '../../src/checklists/definitions.js';
import { nextRuns } from '../../src/config/schedule.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { waitUntil } from '../support/wait.js';

/** These waits span a scheduled post and its reminders, seconds apart. */
const PATIENTLY = { timeoutMs: 20_000, intervalMs: 150 };

const CHANNEL = 'C0OPS';
let app: TestApp;
let health: Server;
let healthy = true;
let db: pg.Client;
/**
 * The daily schedule is set some seconds ahead, so the test sees the scheduler fire for real. The margin
 * covers start-up (database, migrations) on a loaded machine: a slot that passed before the scheduler
 * was registered would only come round tomorrow.
 */
let firesAt: Date;

const messageText = (m: { text?: string; blocks?: unknown[]; attachments?: unknown[] } | undefined) =>
  JSON.stringify([m?.text, m?.blocks ?? [], m?.attachments ?? []]);
const isChecklistPost = (title: string) => (c: RecordedCall) =>
  c.method === 'chat.postMessage' && !c.args.thread_ts && String(c.args.text).startsWith(title);

async function runOf(checklist: string): Promise<{ id: string; message_ts: string }> {
  const { rows } = await db.query(
    'SELECT id, message_ts FROM checklist_runs WHERE checklist = $1 ORDER BY created_at DESC LIMIT 1',
    [checklist],
  );
  return rows[0];
}

/** The newest run of a list, once its message is posted. */
async function postedRun(checklist: string): Promise<{ id: string; message_ts: string }> {
  return waitUntil(
    `the ${checklist} run`,
    async () => {
      const run = await runOf(checklist);
      return run?.message_ts ? run : undefined;
    },
    PATIENTLY,
  );
}

/** A checkbox click as Slack sends it: the element's selected options (one option per item element). */
async function clickCheckbox(runId: string, position: number, userId: string, checked: boolean, messageTs: string) {
  const raw = blockActionBody({
    actionId: `checklist.tick.${position}`,
    blockId: `checklist:${runId}:${position}`,
    userId,
    channelId: CHANNEL,
    messageTs,
    responseUrl: app.fake.responseUrl(),
  });
  const payload = JSON.parse(new URLSearchParams(raw).get('payload')!);
  const option = { text: { type: 'mrkdwn', text: `${position}.` }, value: `${runId}:${position}` };
  payload.actions = [
    {
      type: 'checkboxes',
      action_id: `checklist.tick.${position}`,
      block_id: `checklist:${runId}:${position}`,
      selected_options: checked ? [option] : [],
      action_ts: payload.actions[0].action_ts,
    },
  ];
  const res = await postToSlackEndpoint(
    app.baseUrl,
    SIGNING_SECRET,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
  );
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  health = createServer((_req, res) => res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down'));
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  const port = (health.address() as AddressInfo).port;
  firesAt = new Date(Date.now() + 15_000);
  const daily = `${firesAt.getUTCSeconds()} ${firesAt.getUTCMinutes()} ${firesAt.getUTCHours()} * * *`;
  app = await TestApp.start({
    configYaml: `
timezone: UTC
environments:
  prod:
    health: [{ name: backend, url: "http://127.0.0.1:${port}/health" }]
access:
  roles:
    oncall: { users: [U0ALICE], usergroups: [S0ONCALL] }
checklists:
  morning: { channel: ${CHANNEL}, owner: oncall, schedule: "${daily}", dueAfter: 5s, escalateAfter: 3s }
  pre-deploy: { dueAfter: 3s }
`,
  });
  db = new pg.Client({ connectionString: app.db.url });
  await db.connect();
}, 40_000);

afterAll(async () => {
  await db?.end();
  await app?.stop();
  await new Promise((resolve) => health?.close(resolve));
});

describe('a daily checklist, end to end', () => {
  it('registers one BullMQ job scheduler per scheduled list, in the configured time zone', async () => {
    const schedulers = await app.runtime.jobs.queue.getJobSchedulers(0, -1);
    const morning = schedulers.find((s) => s.key === 'checklist:morning');
    expect(morning).toMatchObject({ tz: 'UTC', name: 'checklist.post' });
    expect(schedulers.filter((s) => s.key.startsWith('checklist:'))).toHaveLength(1);
  });

  it('posts on schedule, is ticked by two users, checked by Run, nagged twice, and reported by status', async () => {
    expect(Date.now(), 'start-up took longer than the schedule margin').toBeLessThan(firesAt.getTime());
    const [posted] = await app.fake.waitFor(isChecklistPost('Morning operations checklist'), { timeoutMs: 35_000 });
    expect(posted.at).toBeGreaterThanOrEqual(firesAt.getTime() - 1000);
    const run = await postedRun('morning');
    const first = messageText(app.fake.message(CHANNEL, run.message_ts));
    expect(first).toContain('0/5 done');
    expect(first).toContain('checklist.tick.1');
    expect(first).toContain('checklist.run.2'); // "Check system health dashboard" → /ops health
    expect(first).toContain('<@U0ALICE> <!subteam^S0ONCALL>');

    // Two people tick items; a double click and a concurrent click on the same item count once.
    await Promise.all([
      clickCheckbox(run.id, 1, 'U0ALICE', true, run.message_ts),
      clickCheckbox(run.id, 1, 'U0DAVE', true, run.message_ts),
    ]);
    await clickCheckbox(run.id, 3, 'U0BOB', true, run.message_ts);
    await waitUntil(
      'two ticks',
      async () =>
        (await db.query(`SELECT 1 FROM checklist_items WHERE run_id = $1 AND state = 'done'`, [run.id])).rowCount === 2,
      PATIENTLY,
    );
    const ticks = await db.query(
      `SELECT position, actor FROM checklist_events WHERE run_id = $1 AND action = 'tick' ORDER BY position`,
      [run.id],
    );
    expect(ticks.rows.map((r) => r.position)).toEqual([1, 3]);
    await waitUntil(
      'the message to show both people',
      async () => {
        const text = messageText(app.fake.message(CHANNEL, run.message_ts));
        return (
          text.includes('2/5 done') &&
          text.includes('<@U0BOB>') &&
          text.includes(ticks.rows[0].actor === 'U0ALICE' ? '<@U0ALICE>' : '<@U0DAVE>')
        );
      },
      PATIENTLY,
    );

    // Unticking is allowed and recorded.
    await clickCheckbox(run.id, 3, 'U0BOB', false, run.message_ts);
    await waitUntil(
      'the untick',
      async () =>
        (
          await db.query(`SELECT 1 FROM checklist_events WHERE run_id = $1 AND action = 'untick' AND actor = 'U0BOB'`, [
            run.id,
          ])
        ).rowCount === 1,
      PATIENTLY,
    );
    await clickCheckbox(run.id, 3, 'U0BOB', true, run.message_ts);

    // Run: /ops health as the clicking user; it passes, so the item is ticked, and the result lands in the thread.
    await app.click('checklist.run.2', `${run.id}:2`, {
      userId: 'U0CAROL',
      channelId: CHANNEL,
      messageTs: run.message_ts,
    });
    const [result] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.thread_ts === run.message_ts &&
        String(c.args.text).startsWith('health'),
      { timeoutMs: 15_000 },
    );
    expect(String(result.args.text)).toContain('passed — item ticked');
    expect(messageText(result.args)).toContain('prod is healthy');
    const item2 = await db.query('SELECT state, done_by, via FROM checklist_items WHERE run_id = $1 AND position = 2', [
      run.id,
    ]);
    expect(item2.rows[0]).toEqual({ state: 'done', done_by: 'U0CAROL', via: 'run' });
    const audit = await db.query(`SELECT actor_id FROM audit_log WHERE command = 'health'`);
    expect(audit.rows.map((r) => r.actor_id)).toContain('U0CAROL');

    // Still 2 items open when due: a reminder in the thread for the owner, then a louder one broadcast to the channel.
    const [reminder] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.thread_ts === run.message_ts &&
        String(c.args.text).includes('still open') &&
        !c.args.reply_broadcast,
      { timeoutMs: 20_000 },
    );
    expect(messageText(reminder.args)).toContain('<@U0ALICE> <!subteam^S0ONCALL>');
    expect(messageText(reminder.args)).toContain('4. Review performance metrics and trends');
    const [louder] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.thread_ts === run.message_ts &&
        String(c.args.text).includes('second reminder'),
      { timeoutMs: 20_000 },
    );
    expect(String(louder.args.reply_broadcast)).toBe('true');
    expect(messageText(louder.args)).toContain('#E01E5A');
    await waitUntil(
      'the message to show overdue',
      async () => messageText(app.fake.message(CHANNEL, run.message_ts)).includes('overdue'),
      PATIENTLY,
    );

    // Skip one with a reason from Slack, then the status.
    const skipped = await app.ask('checklist skip 5 --reason "security dashboard is being migrated"', {
      userId: 'U0BOB',
      channelId: CHANNEL,
    });
    expect(replyText(skipped)).toContain('Skipped item 5');
    const status = replyText(await app.ask('checklist status', { channelId: CHANNEL }));
    expect(status).toContain('Morning operations checklist');
    expect(status).toContain('overdue');
    expect(status).toContain('Review performance metrics and trends');
    expect(status).toContain('security dashboard is being migrated');
    expect(status).toMatch(/<@U0CAROL> 1 item/);
    expect(status).toContain('<@U0BOB> 1 item');
    const reminders = await db.query(
      `SELECT count(*)::int AS n FROM checklist_events WHERE run_id = $1 AND action = 'reminded'`,
      [run.id],
    );
    expect(reminders.rows[0].n).toBe(2);
  }, 90_000);

  it('posts a list on demand, turns it green when done, and does not nag about a completed list', async () => {
    const reply = await app.ask('checklist pre-deploy', { userId: 'U0ALICE', channelId: 'C0DEPLOY' });
    expect(replyText(reply)).toContain('Posted *Pre-deployment checklist*');
    const run = await postedRun('pre-deploy');
    for (const position of [1, 2, 3, 4, 5])
      await clickCheckboxIn('C0DEPLOY', run.id, position, 'U0BOB', run.message_ts);
    const skipped = await app.ask('checklist skip team --reason "everyone is in the room"', {
      userId: 'U0ALICE',
      channelId: 'C0DEPLOY',
    });
    expect(replyText(skipped)).toContain('That completes the checklist');
    const done = await waitUntil(
      'the green message',
      async () => {
        const m = app.fake.message('C0DEPLOY', run.message_ts);
        return m?.attachments?.[0]?.color === '#2EB67D' && m;
      },
      PATIENTLY,
    );
    expect(messageText(done)).toMatch(/Completed .* by <@U0BOB> 5/);
    // The reminder job still fires at its time, finds the run complete in Postgres, and stays silent.
    await waitUntil(
      'the reminder job to run',
      async () => {
        const jobs = await app.runtime.jobs.queue.getJobs(['completed']);
        return jobs.some((j) => j.name === 'checklist.nag' && j.data.data.runId === run.id);
      },
      PATIENTLY,
    );
    expect(app.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === run.message_ts)).toHaveLength(0);
  }, 30_000);

  it('leaves an item open when its Run fails, and says so in the thread', async () => {
    await app.ask('checklist during-deploy', { userId: 'U0ALICE', channelId: 'C0REL' });
    const run = await postedRun('during-deploy');
    healthy = false;
    try {
      await app.click('checklist.run.4', `${run.id}:4`, {
        userId: 'U0BOB',
        channelId: 'C0REL',
        messageTs: run.message_ts,
      });
      const [result] = await app.fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.args.thread_ts === run.message_ts,
        { timeoutMs: 15_000 },
      );
      expect(String(result.args.text)).toContain('failed — item left open');
    } finally {
      healthy = true;
    }
    const item = await db.query('SELECT state FROM checklist_items WHERE run_id = $1 AND position = 4', [run.id]);
    expect(item.rows[0].state).toBe('open');
    const events = await db.query(`SELECT action, actor FROM checklist_events WHERE run_id = $1`, [run.id]);
    expect(events.rows).toEqual([{ action: 'run_failed', actor: 'U0BOB' }]);
  });

  it('answers mistakes with what to type instead', async () => {
    expect(replyText(await app.ask('checklist pre-deplyo'))).toContain('Did you mean `pre-deploy`?');
    expect(replyText(await app.ask('checklist skip 2', { channelId: CHANNEL }))).toContain('--reason');
    const list = replyText(await app.ask('checklist list'));
    expect(list).toContain('morning');
    expect(list).toContain('Built-in, not enabled');
  });
});

async function clickCheckboxIn(channel: string, runId: string, position: number, userId: string, messageTs: string) {
  const raw = blockActionBody({
    actionId: `checklist.tick.${position}`,
    blockId: `checklist:${runId}:${position}`,
    userId,
    channelId: channel,
    messageTs,
    responseUrl: app.fake.responseUrl(),
  });
  const payload = JSON.parse(new URLSearchParams(raw).get('payload')!);
  payload.actions = [
    {
      type: 'checkboxes',
      action_id: `checklist.tick.${position}`,
      block_id: `checklist:${runId}:${position}`,
      selected_options: [{ text: { type: 'mrkdwn', text: '.' }, value: `${runId}:${position}` }],
      action_ts: payload.actions[0].action_ts,
    },
  ];
  await postToSlackEndpoint(
    app.baseUrl,
    SIGNING_SECRET,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
  );
  await waitUntil(
    `item ${position} ticked`,
    async () =>
      (
        await db.query(`SELECT 1 FROM checklist_items WHERE run_id = $1 AND position = $2 AND state = 'done'`, [
          runId,
          position,
        ])
      ).rowCount === 1,
    PATIENTLY,
  );
}

describe('job schedulers against real Redis', () => {
  it('follow Europe/Berlin across the spring change and drop lists no longer configured', async () => {
    const redis = createTestRedis('opsbot-checklist-sched');
    const jobs = new JobQueue(app.runtime.bullConnection, redis.prefix);
    try {
      await jobs.queue.upsertJobScheduler(
        'checklist:retired',
        { pattern: '0 8 * * *', tz: 'UTC' },
        {
          name: 'checklist.post',
          data: { data: { checklist: 'retired' }, meta: { title: 'x', requestedBy: 'opsbot' } },
        },
      );
      const { config } = parseConfig(
        'timezone: Europe/Berlin\nenvironments: { prod: {} }\nchecklists: { morning: { channel: C0OPS, schedule: "0 9 * * *" } }',
        {},
      );
      const lists = resolveChecklists(config).filter((l) => l.configured);
      await syncSchedulers(jobs, lists, config.timezone, createLogger('silent'));
      const schedulers = await jobs.queue.getJobSchedulers(0, -1);
      expect(schedulers.map((s) => s.key)).toEqual(['checklist:morning']);
      expect(schedulers[0]).toMatchObject({ pattern: '0 9 * * *', tz: 'Europe/Berlin' });
      expect(schedulers[0].next).toBe(nextRuns('0 9 * * *', 'Europe/Berlin', new Date(), 1)[0].getTime());
      // Registering again (another replica starting) changes nothing.
      await syncSchedulers(jobs, lists, config.timezone, createLogger('silent'));
      expect(await jobs.queue.getJobSchedulersCount()).toBe(1);
    } finally {
      await jobs.close();
      await redis.cleanup();
    }
  });
});
