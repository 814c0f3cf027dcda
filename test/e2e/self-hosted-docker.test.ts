import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import { startDockerEngine, type TestDockerEngine } from '../support/docker-engine.js';
import { waitUntil } from '../support/wait.js';

const started = await startDockerEngine();
if (!started.ok) console.warn(`Skipping the self-hosted Docker commands through Slack: ${started.reason}`);

const API = [
  'echo \'{"level":"info","msg":"listening on 3000"}\'',
  'echo \'{"level":"error","msg":"db timeout"}\'',
  'echo "ERROR payment failed" >&2',
  'while true; do sleep 1; done',
].join('; ');

describe.skipIf(!started.ok)('/ops status, logs, stats and restart of a docker-compose environment', () => {
  let engine: TestDockerEngine;
  let app: TestApp;
  let emptyDir: string;

  beforeAll(async () => {
    engine = (started as { engine: TestDockerEngine }).engine;
    await engine.runService({ project: 'esn', service: 'api', script: API });
    await engine.runService({
      project: 'esn',
      service: 'worker',
      script: 'rm -f /tmp/ok; sleep 1; touch /tmp/ok; while true; do sleep 1; done',
      healthcheck: 'test -f /tmp/ok',
    });
    emptyDir = await mkdtemp(join(tmpdir(), 'opsbot-nosock-'));
    app = await TestApp.start({
      progressIntervalMs: 20,
      configYaml: `
environments:
  esn:
    docker: { host: "${engine.host}", project: esn }
  gone:
    docker: { host: "unix://${emptyDir}/docker.sock", project: esn }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: [restart]
      allow: [oncall]
      approval: { approvers: [oncall], expires: 15m }
`,
    });
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await engine?.stop();
    if (emptyDir) await rm(emptyDir, { recursive: true, force: true });
  }, 60_000);

  function finalMessage(channel: string) {
    return app.jobOutcome(channel, 60_000).then((o) => o.json);
  }

  it('status: every service with state, health, restarts, uptime and image, verdict first', async () => {
    await waitUntil(
      'the worker to turn healthy',
      async () => (await engine.docker.getContainer('esn-worker-1').inspect()).State.Health?.Status === 'healthy',
      { timeoutMs: 20_000 },
    );
    const reply = await app.ask('status esn');
    const text = replyText(reply);
    expect(reply.attachments?.[0].color).toBeDefined();
    expect(text).toContain('esn is healthy');
    expect(text).toContain('2/2 containers up');
    for (const word of ['esn-api-1', 'esn-worker-1', 'running', 'healthy', 'opsbot-test/busybox', 'UPTIME'])
      expect(text).toContain(word);
  });

  it('logs: the containers\u2019 lines from the engine, --errors keeps JSON error levels and ERROR lines', async () => {
    const all = replyText(await app.ask('logs esn --service api --since 1h'));
    expect(all).toContain('listening on 3000');
    const errors = replyText(await app.ask('logs esn --service api --errors'));
    expect(errors).toContain('db timeout');
    expect(errors).toContain('ERROR payment failed');
    expect(errors).not.toContain('listening on 3000');
    const unknown = replyText(await app.ask('logs esn --service nope'));
    expect(unknown).toContain('has no service `nope`');
    expect(unknown).toContain('api, worker');
  });

  it('stats: CPU and memory per container against the thresholds, with sparklines, as a job', async () => {
    await app.command('stats esn --samples 2 --every 1s', { channelId: 'C0STATS' });
    const json = await finalMessage('C0STATS');
    expect(json).toContain('esn-api-1');
    expect(json).toContain('CPU TREND');
    expect(json).toContain('within the lines');
  });

  it('restart: approval, then a job followed until the container runs again and is healthy', async () => {
    const before = (await engine.docker.getContainer('esn-worker-1').inspect()).State.StartedAt;
    const reply = await app.ask('restart esn --service worker', { channelId: 'C0RST' });
    expect(replyText(reply)).toContain('needs approval');
    const [card] = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('approval.approve'),
    );
    const json = JSON.stringify(card.args);
    expect(json).toContain('compose service `worker`');
    expect(json).toContain('esn-worker-1');
    const id = /"value":"([0-9a-f-]{36})"/.exec(json)![1];
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: 'C0RST' });
    const final = await finalMessage('C0RST');
    expect(final).toContain('Restart of compose service `worker`');
    expect(final).toContain('healthy');
    const after = await engine.docker.getContainer('esn-worker-1').inspect();
    expect(after.State.StartedAt).not.toBe(before);
    expect(after.State.Health?.Status).toBe('healthy');
  }, 90_000);

  it('restart of an unknown service says which exist, before any approval', async () => {
    const text = replyText(await app.ask('restart esn --service nope'));
    expect(text).toContain('no compose service or pm2 process `nope`');
    expect(text).toContain('api (compose), worker (compose)');
  });

  it('no socket: a clear reply naming the engine and what to do', async () => {
    const text = replyText(await app.ask('status gone'));
    expect(text).toContain('No Docker Engine answers at');
    expect(text).toContain('systemctl start docker');
  });
});
