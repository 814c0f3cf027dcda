import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../src/sandbox/ports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';

describe('/ops over signed HTTP against a fake Slack', () => {
  let app: TestApp;
  let hanging: Server;
  beforeAll(async () => {
    // Accepts connections and never answers: the probe must give up at its timeout.
    hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const hangingPort = (hanging.address() as AddressInfo).port;
    app = await TestApp.start({
      configYaml: `
probes: { timeout: 1s }
environments:
  prod:
    health:
      - { name: dead-api, url: "http://127.0.0.1:${await freePort()}/health" }
      - { name: hanging-api, url: "http://127.0.0.1:${hangingPort}/health" }
    database: { url: "postgres://opsbot:s3cret-pw@127.0.0.1:5432/postgres" }
  staging: {}
`,
    });
  });
  afterAll(async () => {
    hanging?.closeAllConnections();
    hanging?.close();
    await app?.stop();
  });

  it('answers /ops help within 3 s with the list generated from the command definitions', async () => {
    const sent = await app.command('help');
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(3000);
    const [post] = await app.fake.waitForResponse((p) => p.id === sent.responseId);
    const text = replyText(post.body);
    for (const name of ['help', 'health', 'jobs', 'jobs cancel']) expect(text).toContain(`/ops ${name}`);
    expect(post.body.response_type).toBe('ephemeral');
  });

  it('rejects a bad signature and a stale timestamp with 401 and runs nothing', async () => {
    const bad = await app.command('help', { badSignature: true });
    expect(bad.status).toBe(401);
    const stale = await app.command('help', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    // A good request sent after them is answered: had either been run, its answer would be in by now too.
    const good = await app.command('help');
    await app.fake.waitForResponse((p) => p.id === good.responseId);
    expect(app.fake.responses.find((p) => p.id === bad.responseId || p.id === stale.responseId)).toBeUndefined();
  });

  it('answers an unknown command with a suggestion and the usage', async () => {
    const reply = await app.ask('helth prod');
    expect(reply.response_type).toBe('ephemeral');
    expect(replyText(reply)).toContain('Did you mean `health`?');
    expect(replyText(reply)).toContain('/ops health [env]');
  });

  it('names an unknown environment and lists the configured ones', async () => {
    const reply = await app.ask('health --env qa');
    expect(replyText(reply)).toContain('Unknown environment `qa`');
    expect(replyText(reply)).toContain('`prod`, `staging`');
  });

  it('reports dead and hanging probes as failing with their reasons, within the timeout', async () => {
    const started = Date.now();
    const reply = await app.ask('health prod');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(reply.response_type).toBe('in_channel');
    const text = replyText(reply);
    expect(text).toContain('of 3 checks failing');
    expect(text).toMatch(/dead-api\*.*ECONNREFUSED/);
    expect(text).toContain('hanging-api unreachable after 1s');
    expect(reply.attachments?.[0].color).toBe('#E01E5A');
  });

  it('never shows or logs the password of a database URL', async () => {
    const reply = await app.ask('health prod');
    expect(replyText(reply)).not.toContain('s3cret-pw');
    expect(app.logs.text()).not.toContain('s3cret-pw');
  });

  it('runs a command once when Slack delivers it twice (X-Slack-Retry-Num)', async () => {
    const first = await app.command('jobs', { triggerId: 'trig-dup-1' });
    const retry = await app.command('jobs', { triggerId: 'trig-dup-1', retryNum: 1 });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    await app.fake.waitForResponse((p) => p.id === first.responseId);
    // A later command is answered; a run of the retry would have been answered by then as well.
    const later = await app.command('help', { triggerId: 'trig-dup-2' });
    await app.fake.waitForResponse((p) => p.id === later.responseId);
    expect(app.fake.responses.filter((p) => p.id === retry.responseId)).toHaveLength(0);
    const audited = await app.runtime.services.audit.recent(50);
    expect(audited.filter((a) => a.command === 'jobs')).toHaveLength(1);
  });

  it('records every command in the audit log with who, where, outcome and duration', async () => {
    await app.ask('help health', { userId: 'U0AUDIT', channelId: 'C0AUDIT' });
    const [entry] = (await app.runtime.services.audit.recent(50)).filter((a) => a.actorId === 'U0AUDIT');
    expect(entry).toMatchObject({
      source: 'slack',
      channelId: 'C0AUDIT',
      command: 'help',
      text: 'help health',
      outcome: 'ok',
    });
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('says what to do when a form cannot be opened in time', async () => {
    app.fake.failNext('views.open', 'expired_trigger_id');
    const reply = await app.ask('incident declare');
    expect(reply.response_type).toBe('ephemeral');
    expect(replyText(reply)).toContain('The form could not be opened (expired_trigger_id).');
    expect(replyText(reply)).toContain('/ops help <command>');
  });

  it('serves /healthz, /readyz and /metrics beside /slack/events', async () => {
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/opsbot_commands_total\{command="help",outcome="ok"\} \d+/);
    expect(metrics).toContain('opsbot_command_duration_seconds_bucket');
    expect(metrics).toMatch(/opsbot_jobs\{queue="ops-jobs",state="active"\} 0/);
    expect(metrics).toMatch(/opsbot_jobs\{queue="ops-outbox",state="failed"\} 0/);
  });
});
