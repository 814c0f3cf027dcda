import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase, sql } from '../support/databases.js';
import { startTestPm2, type TestPm2 } from '../support/pm2-daemon.js';
import { waitUntil } from '../support/wait.js';

describe('pm2 and pg_dump backups through Slack: status, logs, restart, backup → list → verify → restore', () => {
  let pm2: TestPm2;
  let live: TestDatabase;
  let dir: string;
  let staleDir: string;
  let app: TestApp;
  const restored: string[] = [];

  beforeAll(async () => {
    pm2 = await startTestPm2();
    await pm2.start('invoice-api', { time: true });
    live = await createTestDatabase('opsbot_shb');
    await sql(
      live.url,
      `CREATE TABLE invoices (id serial PRIMARY KEY, note text);
       INSERT INTO invoices (note) SELECT md5(g::text) FROM generate_series(1, 1500) g;`,
    );
    dir = await mkdtemp(join(tmpdir(), 'opsbot-shb-'));
    staleDir = await mkdtemp(join(tmpdir(), 'opsbot-shb-stale-'));
    const old = join(staleDir, 'old-20200101-0200.sql.gz');
    await writeFile(old, 'x');
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    await utimes(old, threeDaysAgo, threeDaysAgo);
    app = await TestApp.start({
      progressIntervalMs: 20,
      configYaml: `
environments:
  invoice:
    pm2: { home: "${pm2.home}" }
    database: { url: "${live.url}", backup: { dir: "${dir}", format: sql.gz, keep: 30d, schedule: "0 2 * * *" } }
  old:
    database: { url: "${live.url}", backup: { dir: "${staleDir}", schedule: "0 2 * * *" } }
  nopm2:
    pm2: { home: "${dir}/no-such-pm2" }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: [restart, restore]
      allow: [oncall]
      approval: { approvers: [oncall], expires: 15m }
`,
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await pm2?.stop();
    for (const name of restored)
      await sql(PG_ADMIN_URL, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await live?.drop();
    for (const d of [dir, staleDir]) if (d) await rm(d, { recursive: true, force: true });
  }, 60_000);

  function finalMessage(channel: string) {
    return app.jobOutcome(channel, 60_000).then((o) => o.json);
  }

  async function approve(channel: string, words: string) {
    const [card] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        JSON.stringify(c.args).includes('approval.approve') &&
        JSON.stringify(c.args).includes(words),
    );
    const json = JSON.stringify(card.args);
    await app.click('approval.approve', /"value":"([0-9a-f-]{36})"/.exec(json)![1], {
      userId: 'U0BOB',
      channelId: channel,
    });
    return json;
  }

  it('status: every pm2 process with status, restarts, uptime, CPU and memory', async () => {
    const text = replyText(await app.ask('status invoice'));
    expect(text).toContain('invoice is healthy');
    expect(text).toContain('1/1 pm2 processes online');
    for (const word of ['invoice-api', 'online', 'CPU', 'MEMORY']) expect(text).toContain(word);
  });

  it('logs: pm2’s files, --errors keeps the err file and JSON error lines', async () => {
    await waitUntil('pm2 to write the app’s logs', async () =>
      replyText(await app.ask('logs invoice --since 1h')).includes('db timeout'),
    );
    const errors = replyText(await app.ask('logs invoice --service invoice-api --errors'));
    expect(errors).toContain('db timeout');
    expect(errors).toContain('warn: cache cold'); // the err file counts as errors, as `pm2 logs --err`
    expect(errors).not.toContain('listening');
  });

  it('restart: approval, then a job followed until the process is steadily online', async () => {
    const reply = await app.ask('restart invoice --service invoice-api', { channelId: 'C0PM2' });
    expect(replyText(reply)).toContain('needs approval');
    const card = await approve('C0PM2', 'pm2 restart invoice-api');
    expect(card).toContain('PM2_HOME');
    const final = await finalMessage('C0PM2');
    expect(final).toContain('Restart of pm2 process `invoice-api`');
    expect(final).toContain('online');
  }, 90_000);

  it('pm2 not running: a clear reply naming PM2_HOME and what to do', async () => {
    const text = replyText(await app.ask('status nopm2'));
    expect(text).toContain('pm2 is not running for PM2_HOME=');
    expect(text).toContain('pm2 start');
  });

  it('backup → list → verify → restore into a new database', async () => {
    await app.command('backup invoice', { channelId: 'C0BK' });
    const dumped = await finalMessage('C0BK');
    expect(dumped).toContain('Backup of invoice is done');
    expect(dumped).toContain('nothing old enough to delete');
    const file = /`(invoice-\d{8}-\d{4}\.sql\.gz)`/.exec(dumped)![1];

    const list = await app.ask('backup list invoice');
    expect(replyText(list)).toContain(file);
    expect(list.attachments?.[0].color).not.toBe('#E01E5A');

    await app.command('backup verify invoice', { channelId: 'C0VF' });
    const verified = await finalMessage('C0VF');
    expect(verified).toContain('invoices');
    expect(verified).not.toContain('— failed');

    const reply = await app.ask(`restore invoice ${file}`, { channelId: 'C0RS' });
    expect(replyText(reply)).toContain('needs approval');
    const card = await approve('C0RS', file);
    expect(card).toContain('NEW database');
    const done = await finalMessage('C0RS');
    const database = /new database `([a-z0-9_]+)`/.exec(done)![1];
    restored.push(database);
    expect(done).toContain('1,500');
    // Its steps were also streamed as a log in the thread of the job's message (chat.startStream … stopStream).
    const stopped = app.fake.callsTo('chat.stopStream').find((c) => c.args.channel === 'C0RS');
    const streamed = app.fake.message('C0RS', String(stopped?.args.ts));
    expect(streamed?.thread_ts).toBeDefined();
    expect(streamed?.text?.match(/^`\d\d:\d\d:\d\d` /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(streamed?.text).toContain(database);
    expect(done).toContain('Point the app at');
    const [{ n }] = await sql(live.url.replace(/\/[^/]+$/, `/${database}`), 'SELECT count(*)::int AS n FROM invoices');
    expect(n).toBe(1500);
  }, 120_000);

  it('a restore of a file that is not a backup of the environment is refused before any approval', async () => {
    const text = replyText(await app.ask('restore invoice ../../etc/passwd'));
    expect(text).toContain('is not a backup of invoice');
  });

  it('backup list is red when the newest backup is older than the schedule allows', async () => {
    const list = await app.ask('backup list old');
    expect(replyText(list)).toContain('stale');
    expect(list.attachments?.[0].color).toBe('#E01E5A');
  });
});
