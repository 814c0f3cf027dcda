import { startFaultProxy, targetOf, viaProxy, type FaultProxy } from '../test/support/fault-proxy.js';

/**
 * alert-storm --faults: Redis and the fake Slack behind fault proxies (test/support/fault-proxy.ts), cut for
 * `cutMs` each during the storm (Redis first, then Slack), then restored. Records when each outage ended.
 */
export interface StormFaults {
  redisUrl: string;
  slackApiUrl: string;
  /** Runs the cuts: Redis at `startMs`, Slack `cutMs + gapMs` later. Resolves when both are restored. */
  run(startMs: number, cutMs: number, gapMs: number): Promise<void>;
  readonly events: { what: string; at: number }[];
  /** When the last outage ended (ms epoch). */
  lastRestoreAt(): number | undefined;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startStormFaults(redisUrl: string, slackApiUrl: string): Promise<StormFaults> {
  const redis = await startFaultProxy({ target: targetOf(redisUrl, 6379), maxConnections: 400 });
  const slack = await startFaultProxy({ target: targetOf(slackApiUrl, 80), maxConnections: 400 });
  const events: { what: string; at: number }[] = [];
  const outage = async (name: string, proxy: FaultProxy, ms: number) => {
    proxy.cut();
    events.push({ what: `${name} cut`, at: Date.now() });
    console.error(`faults: ${name} cut`);
    await sleep(ms);
    proxy.restore();
    events.push({ what: `${name} restored`, at: Date.now() });
    console.error(`faults: ${name} restored`);
  };
  return {
    redisUrl: viaProxy(redisUrl, redis),
    slackApiUrl: viaProxy(slackApiUrl, slack),
    events,
    async run(startMs, cutMs, gapMs) {
      await sleep(startMs);
      await outage('redis', redis, cutMs);
      await sleep(gapMs);
      await outage('slack', slack, cutMs);
    },
    lastRestoreAt: () => events.filter((e) => e.what.endsWith('restored')).at(-1)?.at,
    async close() {
      await Promise.all([redis.close(), slack.close()]);
    },
  };
}
