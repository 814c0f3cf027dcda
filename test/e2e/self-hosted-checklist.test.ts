import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from '../support/test-app.js';
import { startTestPm2, type TestPm2 } from '../support/pm2-daemon.js';
import { waitUntil } from '../support/wait.js';

const CHANNEL = 'C0DAILY';

/**
 * The built-in `daily` list (guide 001's "Daily" maintenance) for an environment that has only pm2: its
 * `metrics` item has no AWS metrics to read, so its Run button answers with the processes' CPU and memory
 * (`/ops stats`), through the checklist's Run path as the clicking user.
 */
describe('the daily checklist’s Run buttons on a pm2-only environment', () => {
  let pm2: TestPm2;
  let app: TestApp;

  beforeAll(async () => {
    pm2 = await startTestPm2();
    await pm2.start('invoice-api');
    app = await TestApp.start({
      progressIntervalMs: 20,
      configYaml: `
environments:
  invoice:
    pm2: { home: "${pm2.home}" }
  bare:
    health: []
checklists:
  daily: { channel: ${CHANNEL} }
`,
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await pm2?.stop();
  }, 60_000);

  async function latestRun(): Promise<{ id: string; message_ts: string }> {
    const db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    try {
      return await waitUntil('the daily run to be posted', async () => {
        const { rows } = await db.query(
          `SELECT id, message_ts FROM checklist_runs WHERE checklist = 'daily' ORDER BY created_at DESC LIMIT 1`,
        );
        return rows[0]?.message_ts ? (rows[0] as { id: string; message_ts: string }) : undefined;
      });
    } finally {
      await db.end();
    }
  }

  it('Run on "Monitor response times" (metrics) gives the pm2 processes’ CPU and memory', async () => {
    await app.ask('checklist daily', { channelId: CHANNEL });
    const run = await latestRun();
    const [posted] = app.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === CHANNEL && !c.args.thread_ts && String(c.args.text).startsWith('Daily'));
    const item = JSON.stringify(posted.args);
    expect(item).toContain('Monitor response times');
    expect(item).toContain('checklist.run.3');

    await app.click('checklist.run.3', `${run.id}:3`, { channelId: CHANNEL, messageTs: run.message_ts });
    const [queued] = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === run.message_ts,
      { timeoutMs: 15_000 },
    );
    expect(String(queued.args.text)).toContain('started `/ops metrics` for item 3 as job');
    // The job's own message (posted in the channel by the Run, then updated by the worker) ends with its outcome.
    const [finished] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.update' && c.args.channel === CHANNEL && /done in|— failed/.test(JSON.stringify(c.args)),
      { timeoutMs: 60_000 },
    );
    const done = JSON.stringify(finished.args);
    expect(done).not.toContain('no AWS resources');
    expect(done).toContain('invoice-api#0');
    expect(done).toContain('CPU');
    expect(done).toContain('done in');
  }, 90_000);

  it('metrics typed for the pm2 environment answers the same way, and still refuses an environment with neither', async () => {
    await app.command('metrics invoice', { channelId: 'C0MET' });
    const json = await waitUntil(
      'the metrics (stats) job',
      () => {
        const m = app.fake.lastMessage('C0MET');
        const text = m ? JSON.stringify([m.text, m.blocks, m.attachments]) : '';
        return text.includes('done in') ? text : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(json).toContain('invoice-api#0');
    const bare = await app.ask('metrics bare');
    expect(bare.text).toContain('`bare` has no AWS resources to read metrics for');
  }, 90_000);
});
