import { Redis } from 'ioredis';
import { runProbe } from './run-probe.js';
import type { ProbeResult } from './types.js';

/**
 * Redis probes that keep one client per URL between checks: /ops health asked
 * often (or by many people during an incident) should not open a connection
 * each time. No retries and no offline queue, so a dead Redis fails fast
 * instead of waiting for reconnects; a client that failed is dropped and the
 * next probe connects afresh.
 */
export class RedisProbe {
  private readonly clients = new Map<string, { client: Redis; ready: Promise<void> }>();

  probe(name: string, url: string, timeoutMs: number): Promise<ProbeResult> {
    return runProbe({ name, kind: 'redis', target: url }, timeoutMs, async () => {
      const entry = this.clientFor(url, timeoutMs);
      try {
        await entry.ready;
        const pong = await entry.client.ping();
        const info = await entry.client.info('server');
        const version = /redis_version:(\S+)/.exec(info)?.[1];
        return { ok: pong === 'PONG', detail: version ? `Redis ${version}` : pong };
      } catch (err) {
        this.drop(url, entry.client);
        throw err;
      }
    });
  }

  close(): void {
    for (const { client } of this.clients.values()) client.disconnect();
    this.clients.clear();
  }

  private clientFor(url: string, timeoutMs: number): { client: Redis; ready: Promise<void> } {
    let entry = this.clients.get(url);
    if (!entry) {
      const client = new Redis(url, {
        lazyConnect: true,
        connectTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      client.on('end', () => this.drop(url, client));
      entry = { client, ready: client.connect() };
      entry.ready.catch(() => undefined);
      this.clients.set(url, entry);
    }
    return entry;
  }

  private drop(url: string, client: Redis): void {
    if (this.clients.get(url)?.client === client) this.clients.delete(url);
    client.disconnect();
  }
}
