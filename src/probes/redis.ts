import { Redis } from 'ioredis';
import { runProbe } from './run-probe.js';
import type { ProbeResult } from './types.js';

/** PING with no retries and no offline queue, so a dead Redis fails fast instead of waiting for reconnects. */
export function probeRedis(name: string, url: string, timeoutMs: number): Promise<ProbeResult> {
  return runProbe({ name, kind: 'redis', target: url }, timeoutMs, async (signal) => {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    signal.addEventListener('abort', () => client.disconnect());
    try {
      await client.connect();
      const pong = await client.ping();
      const info = await client.info('server');
      const version = /redis_version:(\S+)/.exec(info)?.[1];
      return { ok: pong === 'PONG', detail: version ? `Redis ${version}` : pong };
    } finally {
      client.disconnect();
    }
  });
}
