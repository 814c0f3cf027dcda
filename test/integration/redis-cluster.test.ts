import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const CONFIG = `
environments:
  prod: {}
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: cluster-token
  groupWindow: 1s
  storm: { threshold: 5, window: 1m }
`;

describe('opsbot on a real 3-node Redis Cluster', () => {
  let cluster: RedisCluster;
  let app: TestApp;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    app = await TestApp.start({
      configYaml: CONFIG,
      env: { redisUrl: cluster.url, redisPrefix: `{opsbot-${randomBytes(3).toString('hex')}}` },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await cluster?.stop();
  });

  it('queues, groups and posts a storm of alerts, answers commands, and runs a job', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `cluster-alarm-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(
      names.map((name) =>
        fetch(`${app.baseUrl}/alerts/webhook`, {
          method: 'POST',
          headers: { authorization: 'Bearer cluster-token', 'content-type': 'application/json' },
          body: JSON.stringify({ source: 'bench', key: name, title: name, state: 'firing' }),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(names.map(() => 202));
    await waitUntil(
      'every alarm in a message Slack has',
      () => {
        const text = JSON.stringify(app.fake.messages['C0ALERTS'] ?? []);
        return names.every((n) => text.includes(n));
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const health = await app.ask('help');
    expect(replyText(health)).toContain('help');
    const readyz = await fetch(`${app.baseUrl}/readyz`);
    expect(readyz.status).toBe(200);
  }, 60_000);
});
