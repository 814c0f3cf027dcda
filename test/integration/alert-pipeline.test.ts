import { AlertOutbox } from '../../src/slack/alert-outbox.js';
import { ChannelPacer } from '../../src/alerts/pacing.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { AlertService } from '../../src/alerts/service.js';
import type { NormalizedAlert } from '../../src/alerts/types.js';
import { createPool } from '../../src/store/pool.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const CONFIG = `
environments:
  prod: { region: us-east-1 }
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: test-token
  groupWindow: 3s
  sweepEvery: 1s
  renotify: 1h
  storm: { threshold: 50, window: 1m }
  routes:
    - { match: { alarmName: "page-*" }, channel: C0PAGE, severity: P1, autoIncident: true, mention: [U0ONCALL] }
    - { match: { alarmName: "db-*" }, channel: C0DB, runbook: "https://runbooks.example.com/db" }
    - { match: { alarmName: "quiet-*" }, channel: C0QUIET }
    - { match: { alarmName: "rate-*" }, channel: C0RATE }
    - { match: { alarmName: "restart-*" }, channel: C0RESTART }
`;

const alert = (key: string, over: Partial<NormalizedAlert> = {}): NormalizedAlert => ({
  source: 'generic',
  key,
  title: key,
  alarmName: key,
  state: 'firing',
  environment: 'prod',
  at: new Date().toISOString(),
  ...over,
});

describe('alert pipeline (real Postgres and Redis)', () => {
  let app: TestApp;
  let sql: pg.Pool;
  const messageJson = (channel: string, ts: string) => {
    const m = app.fake.message(channel, ts);
    return JSON.stringify([m?.text, m?.blocks, m?.attachments]);
  };
  const postIn = (channel: string, text: string) =>
    app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        c.status === 200 &&
        JSON.stringify(c.args).includes(text),
      { timeoutMs: 15_000 },
    );

  beforeAll(async () => {
    app = await TestApp.start({
      configYaml: CONFIG,
    });
    sql = new pg.Pool({ connectionString: app.db.url, max: 2 });
  });
  afterAll(async () => {
    await sql?.end();
    await app?.stop();
  });

  it('deduplicates one alarm across two pipeline instances: one row, one message, every repeat counted', async () => {
    const pool = createPool(app.db.url, { max: 4 });
    const redis = new Redis(app.redis.url);
    const bull = new Redis(app.redis.url, { maxRetriesPerRequest: null });
    const second = new AlertService({
      config: app.config,
      pool,
      redis,
      connection: bull,
      prefix: app.redis.prefix,
      // A second replica's pipeline: its outbox has no Slack client, so only the first replica posts.
      delivery: (parts) =>
        new AlertOutbox({
          connection: bull,
          redis,
          prefix: app.redis.prefix,
          pacer: new ChannelPacer(redis, app.redis.prefix, app.config.alerts.delivery),
          log: app.runtime.options.log,
          ...parts,
        }),
      incidents: app.runtime.services.incidents,
      access: app.runtime.services.access,
      aws: app.runtime.aws,
      activity: app.runtime.services.activity,
      log: app.runtime.options.log,
    });
    try {
      const first = app.runtime.alerts.pipeline;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second.pipeline).process(alert('dup-alarm'))),
      );
      const { rows } = await sql.query(`SELECT count, message_id FROM alerts WHERE dedupe_key = 'dup-alarm'`);
      expect(rows).toHaveLength(1);
      expect(rows[0].count).toBe(20);
      const [post] = await postIn('C0ALERTS', 'dup-alarm');
      await waitUntil(
        'the count to reach 20 in Slack',
        () => messageJson('C0ALERTS', post.response.ts).includes('20×'),
        {
          timeoutMs: 15_000,
        },
      );
      expect(
        app.fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args).includes('dup-alarm')),
      ).toHaveLength(1);
    } finally {
      await second.close();
      await pool.end();
      redis.disconnect();
      bull.disconnect();
    }
  });

  it('groups alerts of one route arriving within the window into one message; later ones start a new one', async () => {
    const pipeline = app.runtime.alerts.pipeline;
    await pipeline.process(alert('db-cpu'));
    await pipeline.process(alert('db-connections'));
    const [post] = await postIn('C0DB', 'db-cpu');
    await waitUntil(
      'both alarms in one message',
      () => messageJson('C0DB', post.response.ts).includes('db-connections'),
      {
        timeoutMs: 15_000,
      },
    );
    await waitUntil(
      "the group window of C0DB's message to end",
      async () =>
        (await sql.query(`SELECT 1 FROM alert_messages WHERE channel_id = 'C0DB' AND open AND window_ends_at <= now()`))
          .rowCount === 1,
      { timeoutMs: 15_000 },
    );
    await pipeline.process(alert('db-disk'));
    await postIn('C0DB', 'db-disk');
    expect(
      app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0DB' && c.status === 200),
    ).toHaveLength(2);
    // Resolution turns the alert green in place.
    await pipeline.process(alert('db-cpu', { state: 'resolved' }));
    await waitUntil(
      'db-cpu resolved in its message',
      () => /large_green_circle[^"]*db-cpu/.test(messageJson('C0DB', post.response.ts)),
      { timeoutMs: 15_000 },
    );
  });

  it('Acknowledge records who; a second click is told; Silence 1h mutes it and /ops alerts shows both', async () => {
    await app.runtime.alerts.pipeline.process(alert('ack-me'));
    await app.runtime.alerts.pipeline.process(alert('silence-me'));
    const [post] = await postIn('C0ALERTS', 'ack-me');
    const { rows } = await sql.query(
      `SELECT id, dedupe_key FROM alerts WHERE dedupe_key IN ('ack-me', 'silence-me') AND state = 'firing'`,
    );
    const id = (key: string) => String(rows.find((r) => r.dedupe_key === key).id);
    await app.click('alert.ack', id('ack-me'), { userId: 'U0BOB', channelId: 'C0ALERTS', messageTs: post.response.ts });
    await waitUntil(
      'the acknowledgement in the message',
      () => messageJson('C0ALERTS', post.response.ts).includes('Acknowledged by <@U0BOB>'),
      { timeoutMs: 15_000 },
    );
    const again = await app.click('alert.ack', id('ack-me'), { userId: 'U0CAROL', channelId: 'C0ALERTS' });
    const [refusal] = await app.fake.waitForResponse((p) => p.id === again.responseId);
    expect(JSON.stringify(refusal.body)).toContain('already acknowledged by <@U0BOB>');

    await app.click('alert.menu', `silence.1h:${id('silence-me')}`, { userId: 'U0BOB', channelId: 'C0ALERTS' });
    await waitUntil(
      'the silence in the message',
      () => messageJson('C0ALERTS', post.response.ts).includes('Silenced until'),
      { timeoutMs: 15_000 },
    );
    const list = replyText(await app.ask('alerts'));
    expect(list).toMatch(/acknowledged\s+P2\s+ack-me/);
    expect(list).toMatch(/silenced\s+P2\s+silence-me/);
    expect(replyText(await app.ask('silence list'))).toContain('silence-me');
  });

  it('silenced alerts are counted, reported when the silence ends, and then shown', async () => {
    const { silence } = await app.runtime.alerts.addSilence({
      matcher: 'quiet-*',
      durationMs: 2000,
      createdBy: 'U0BOB',
      channelId: 'C0ALERTS',
    });
    for (let i = 0; i < 3; i++) await app.runtime.alerts.pipeline.process(alert('quiet-alarm'));
    const { rows } = await sql.query('SELECT suppressed FROM silences WHERE id = $1', [silence.id]);
    expect(rows[0].suppressed).toBe(3);
    const [report] = await postIn('C0ALERTS', `Silence *#${silence.id}*`);
    expect(JSON.stringify(report.args)).toContain('*3* notifications for 1 alert were held back');
    // Still firing when the silence ended: now it is shown in its route's channel, and was not before.
    const [shown] = await postIn('C0QUIET', 'quiet-alarm');
    expect(app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0QUIET')).toEqual([shown]);
    expect(shown.at).toBeGreaterThanOrEqual(silence.endsAt.getTime());
  });

  it('/ops silence add and remove: a removed silence is reported at once', async () => {
    const added = replyText(await app.ask('silence add "gone-*" 1h maintenance window', { userId: 'U0BOB' }));
    const id = /silence \*#(\d+)\*/.exec(added)![1];
    expect(added).toContain('maintenance window');
    expect(replyText(await app.ask('silence add x soon'))).toContain('is not a duration');
    const removed = replyText(await app.ask(`silence remove ${id}`, { userId: 'U0BOB' }));
    expect(removed).toContain(`#${id}`);
    await postIn('C0OPS', `Silence *#${id}*`);
    expect(replyText(await app.ask(`silence remove ${id}`))).toContain(`no active silence #${id}`);
  });

  it('critical alerts open an incident as opsbot, and Open incident opens one as the clicking user', async () => {
    const incidentFor = async (title: string) =>
      (await sql.query('SELECT title, severity, env, declared_by FROM incidents WHERE title = $1', [title])).rows.at(0);
    await app.runtime.alerts.pipeline.process(alert('page-checkout-down'));
    expect(
      await waitUntil('the automatic incident', () => incidentFor('page-checkout-down'), {
        timeoutMs: 15_000,
      }),
    ).toEqual({
      title: 'page-checkout-down',
      severity: 'P1',
      env: 'prod',
      declared_by: 'opsbot',
    });
    const [post] = await postIn('C0PAGE', 'page-checkout-down');
    expect(JSON.stringify(post.args)).toContain('<@U0ONCALL>');

    // Alarm names are not command text: quotes and words starting with -- reach the incident as they are.
    const awkward = 'page-db "primary" --down';
    await app.runtime.alerts.pipeline.process(alert(awkward));
    expect(await waitUntil('the incident of the awkward alarm', () => incidentFor(awkward))).toMatchObject({
      title: awkward,
      declared_by: 'opsbot',
    });

    await app.runtime.alerts.pipeline.process(alert('manual-incident'));
    const { rows } = await sql.query(`SELECT id FROM alerts WHERE dedupe_key = 'manual-incident'`);
    const click = await app.click('alert.incident', String(rows[0].id), { userId: 'U0CAROL', channelId: 'C0ALERTS' });
    const [answer] = await app.fake.waitForResponse((p) => p.id === click.responseId);
    expect(JSON.stringify(answer.body)).toMatch(/Declared \*INC-\d+\* \(P2\) manual-incident/);
    expect(await incidentFor('manual-incident')).toMatchObject({ severity: 'P2', declared_by: 'U0CAROL' });
    // A second click finds the same incident instead of declaring another.
    const again = await app.click('alert.incident', String(rows[0].id), { userId: 'U0BOB', channelId: 'C0ALERTS' });
    const [second] = await app.fake.waitForResponse((p) => p.id === again.responseId);
    expect(JSON.stringify(second.body)).toContain('manual-incident');
    const count = await sql.query(`SELECT count(*)::int AS n FROM incidents WHERE title = 'manual-incident'`);
    expect(count.rows[0].n).toBe(1);
  });

  it('honours Retry-After when Slack answers 429', async () => {
    app.fake.rateLimitNext('chat.postMessage', 1);
    const started = Date.now();
    await app.runtime.alerts.pipeline.process(alert('rate-limited-alarm'));
    const posts = await postIn('C0RATE', 'rate-limited-alarm');
    expect(app.fake.callsTo('chat.postMessage').some((c) => c.status === 429)).toBe(true);
    expect(posts[0].at - started).toBeGreaterThanOrEqual(900);
  });

  it('loses nothing across a restart: alerts accepted while no worker runs are posted after it', async () => {
    await app.stop({ keepData: true });
    const idle = await TestApp.start({
      configYaml: CONFIG,
      worker: false,
      reuse: { fake: app.fake, db: app.db, redis: app.redis },
    });
    const res = await fetch(`${idle.baseUrl}/alerts/webhook`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'restart', key: 'survivor', title: 'restart-survivor', severity: 'warning' }),
    });
    expect(res.status).toBe(202);
    await idle.stop({ keepData: true });
    app = await TestApp.start({
      configYaml: CONFIG,
      reuse: { fake: idle.fake, db: idle.db, redis: idle.redis },
    });
    await postIn('C0RESTART', 'restart-survivor');
  });
});
