import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from '../support/test-app.js';

describe('synthetic checks: a health probe with `every` raises and resolves an alert (the ESN guide’s Uptime Robot)', () => {
  let app: TestApp;
  let target: Server;
  let healthy = false;
  const hits: number[] = [];
  beforeAll(async () => {
    target = createServer((_req, res) => {
      hits.push(healthy ? 200 : 503);
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(healthy ? '{"status":"ok"}' : '{"status":"down"}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as AddressInfo).port;
    app = await TestApp.start({
      configYaml: `
probes: { timeout: 1s }
channels: { alerts: C0ALERTS }
alerts: { groupWindow: 1s, sweepEvery: 1s }
environments:
  prod:
    health:
      - { name: backend, url: "http://127.0.0.1:${port}/health", expectJson: { status: ok }, every: 1s, failAfter: 2 }
      - { name: manual-only, url: "http://127.0.0.1:${port}/other" }
  staging: {}
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    target?.close();
  });

  const alertPosts = () =>
    app.fake
      .callsTo('chat.postMessage')
      .filter((c) => JSON.stringify(c.args).includes('Synthetic check prod/backend failing'));

  it('posts one alert after two failures in a row and turns it green when the target answers again', async () => {
    const [post] = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('Synthetic check prod/backend failing'),
      { timeoutMs: 15_000 },
    );
    expect(post.args.channel).toBe('C0ALERTS');
    expect(hits.filter((s) => s === 503).length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(post.args)).toContain('HTTP 503, expected 200');

    healthy = true;
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === post.response.ts && JSON.stringify(c.args).includes('#2EB67D'),
      { timeoutMs: 15_000 },
    );
    expect(alertPosts()).toHaveLength(1);
    // Only the probe with `every` is scheduled.
    const schedulers = await app.runtime.alerts.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).filter((k) => k.startsWith('synthetic:'))).toEqual(['synthetic:prod:backend']);
  });
});
