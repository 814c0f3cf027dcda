import type { Redis } from 'ioredis';

/**
 * Slack re-delivers events it thinks were missed (X-Slack-Retry-Num) and a
 * slow network can repeat a request. Each delivery's id (trigger_id of a
 * command or click, event_id of an event) is claimed once in Redis, so every
 * replica agrees that it runs exactly once.
 */
export class DeliveryGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 3600,
  ) {}

  /** True the first time an id is seen; false for every repeat. Ids that are missing cannot be deduplicated and pass. */
  async claim(id: string | undefined): Promise<boolean> {
    if (!id) return true;
    try {
      const result = await this.redis.set(`${this.prefix}:delivery:${id}`, '1', 'EX', this.ttlSeconds, 'NX');
      return result === 'OK';
    } catch {
      // Redis down: running a command once more is better than dropping it; /readyz reports the outage.
      return true;
    }
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
