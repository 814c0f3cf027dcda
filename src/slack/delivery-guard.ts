import type { Redis } from 'ioredis';

/** The first delivery of an id, a repeat of one, or unknown: neither Redis nor Postgres could say. */
export type DeliveryClaim = 'first' | 'repeat' | 'unknown';

/** Where delivery ids are claimed when Redis is away (src/store/slack-deliveries.ts). */
export interface DeliveryLedger {
  /** True when this call stored the id; false when it was already there. Throws when the store is down. */
  claim(id: string): Promise<boolean>;
}

export interface DeliveryGuardOptions {
  /** The Postgres fallback; without it a Redis outage makes every claim unknown. */
  fallback?: DeliveryLedger;
  /** Whether the fallback's store answered its last probe: skips a claim that could only wait and fail. */
  fallbackUp?: () => boolean;
  /** Bound of each store's claim (default 1 s). */
  timeoutMs?: number;
  /** How long a claim is remembered (default 1 h; Slack retries within minutes). */
  ttlSeconds?: number;
  onFallback?(reason: string): void;
}

/**
 * Slack re-delivers events it thinks were missed (X-Slack-Retry-Num) and a slow network can repeat a request.
 * Each delivery's id (trigger_id of a command or click, event_id of an event) is claimed once, so every
 * replica agrees that it runs exactly once: in Redis (SET NX), and while Redis is unreachable in Postgres
 * (INSERT … ON CONFLICT DO NOTHING), each bounded at 1 s. When neither answers the claim is `unknown` and
 * the caller refuses the delivery (src/slack/first-delivery.ts): de-duplication never silently switches off.
 *
 * A delivery claimed in Postgres during an outage may be retried after Redis is back, where its id is not.
 * So for an hour after any replica used the fallback, a marker key in Redis says so, and a Redis claim is
 * then confirmed in Postgres as well (the claim and the marker's check are one MULTI round trip).
 */
export class DeliveryGuard {
  private fallbackUsedAt = 0;
  private markerWritten = true;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: DeliveryGuardOptions = {},
  ) {}

  private get ttlSeconds(): number {
    return this.options.ttlSeconds ?? 3600;
  }

  private get markerKey(): string {
    return `${this.prefix}:delivery-fallback`;
  }

  async check(id: string | undefined): Promise<DeliveryClaim> {
    // Ids that are missing cannot be deduplicated and pass.
    if (!id) return 'first';
    let redisAnswer: { first: boolean; marked: boolean } | undefined;
    let redisError = '';
    try {
      redisAnswer = await this.bounded(this.claimInRedis(id), 'Redis');
    } catch (err) {
      redisError = err instanceof Error ? err.message : String(err);
    }
    if (redisAnswer) {
      if (!redisAnswer.first) return 'repeat';
      if (!redisAnswer.marked) return 'first';
      // Redis is back after an outage: the id may have been claimed in Postgres meanwhile.
      const pg = await this.claimInPostgres(id).catch(() => undefined);
      return pg === false ? 'repeat' : 'first';
    }
    this.options.onFallback?.(redisError);
    const pg = await this.claimInPostgres(id).catch(() => undefined);
    if (pg === undefined) return 'unknown';
    this.fallbackUsedAt = Date.now();
    this.markerWritten = false;
    return pg ? 'first' : 'repeat';
  }

  private async claimInRedis(id: string): Promise<{ first: boolean; marked: boolean }> {
    const multi = this.redis.multi().set(`${this.prefix}:delivery:${id}`, '1', 'EX', this.ttlSeconds, 'NX');
    // The first Redis answer after this process used the fallback leaves the marker for every replica.
    const mark = !this.markerWritten && Date.now() - this.fallbackUsedAt < this.ttlSeconds * 1000;
    if (mark) multi.set(this.markerKey, '1', 'EX', this.ttlSeconds);
    multi.exists(this.markerKey);
    const results = await multi.exec();
    if (!results) throw new Error('Redis transaction aborted');
    for (const [err] of results) if (err) throw err;
    if (mark) this.markerWritten = true;
    return { first: results[0][1] === 'OK', marked: results[results.length - 1][1] === 1 };
  }

  private async claimInPostgres(id: string): Promise<boolean> {
    const { fallback, fallbackUp } = this.options;
    if (!fallback) throw new Error('no fallback store');
    if (fallbackUp && !fallbackUp()) throw new Error('fallback store down');
    return this.bounded(fallback.claim(id), 'Postgres');
  }

  private bounded<T>(work: Promise<T>, what: string): Promise<T> {
    const ms = this.options.timeoutMs ?? 1000;
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  }
}

/** The id Slack gives one delivery of a command, interaction or event. */
export function deliveryId(body: Record<string, unknown>): string | undefined {
  if (typeof body.event_id === 'string') return `event:${body.event_id}`;
  if (typeof body.trigger_id === 'string') return `trigger:${body.trigger_id}`;
  const actions = body.actions as { action_ts?: string }[] | undefined;
  const user = body.user as { id?: string } | undefined;
  if (actions?.[0]?.action_ts && user?.id) return `action:${user.id}:${actions[0].action_ts}`;
  return undefined;
}
