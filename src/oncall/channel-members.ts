import type { Redis } from 'ioredis';
import { describeChatFailure, type Workspace } from '../core/chat.js';
import type { Logger } from '../log.js';

/** Members change rarely and the App Home is rebuilt at most every 30 s per person: five minutes is fresh enough. */
const CACHE_SECONDS = 300;
const FAILURE_SECONDS = 60;

export interface Membership {
  /** The channels, of those asked, that the person is in. */
  in: Set<string>;
  /** Channels whose members Slack would not list, with the reason (their alerts are shown, not hidden). */
  unknown: { channelId: string; problem: string }[];
}

/**
 * Which channels a person is in, from conversations.members through the
 * Workspace port, cached per channel in Redis (one list serves everyone who
 * opens the Home tab), so a Home tab costs at most one call per alert channel
 * every five minutes however many people open it.
 */
export class ChannelMembers {
  constructor(
    private readonly workspace: Workspace,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  async of(userId: string, channelIds: string[]): Promise<Membership> {
    const out: Membership = { in: new Set(), unknown: [] };
    for (const channelId of new Set(channelIds)) {
      try {
        if ((await this.members(channelId)).includes(userId)) out.in.add(channelId);
      } catch (err) {
        const problem = describeChatFailure(err, `list the members of <#${channelId}>`);
        this.log.warn({ err, channelId }, problem);
        out.unknown.push({ channelId, problem });
      }
    }
    return out;
  }

  private async members(channelId: string): Promise<string[]> {
    const key = `${this.prefix}:oncall:channel-members:${channelId}`;
    const cached = await this.redis.get(key).catch(() => null);
    if (cached !== null) {
      const value = JSON.parse(cached) as string[] | { error: { message?: string } };
      if (Array.isArray(value)) return value;
      throw Object.assign(new Error(value.error.message ?? 'Slack refused'), value.error);
    }
    try {
      const members = await this.workspace.channelMembers(channelId);
      await this.redis.set(key, JSON.stringify(members), 'EX', CACHE_SECONDS).catch(() => undefined);
      return members;
    } catch (err) {
      // A refusal (a missing scope) is asked again after a minute, not on every Home tab.
      const { code, data, message } = err as { code?: string; data?: unknown; message?: string };
      const error = { code, data, message };
      await this.redis.set(key, JSON.stringify({ error }), 'EX', FAILURE_SECONDS).catch(() => undefined);
      throw err;
    }
  }
}
