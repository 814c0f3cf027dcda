import type { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';

/** Who is in a Slack user group; the access policy asks this for roles defined by usergroups. */
export interface UserDirectory {
  usergroupMembers(usergroupId: string): Promise<string[]>;
  /** Display names by user id; ids Slack cannot resolve are left out, so callers fall back to the id. */
  displayNames?(userIds: string[]): Promise<Record<string, string>>;
}

const CACHE_SECONDS = 300;

/** usergroups.users.list, cached in Redis for five minutes so every replica shares one answer and clicks stay fast. */
export class SlackUserDirectory implements UserDirectory {
  constructor(
    private readonly client: WebClient,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async usergroupMembers(usergroupId: string): Promise<string[]> {
    const key = `${this.prefix}:usergroup:${usergroupId}`;
    const cached = await this.redis.get(key);
    if (cached) return JSON.parse(cached) as string[];
    const result = await this.client.usergroups.users.list({ usergroup: usergroupId });
    const users = (result.users ?? []) as string[];
    await this.redis.set(key, JSON.stringify(users), 'EX', CACHE_SECONDS);
    return users;
  }

  async displayNames(userIds: string[]): Promise<Record<string, string>> {
    const names: Record<string, string> = {};
    await Promise.all(
      [...new Set(userIds)]
        .filter((id) => /^[UW][A-Z0-9]+$/.test(id))
        .map(async (id) => {
          const key = `${this.prefix}:username:${id}`;
          try {
            let name = await this.redis.get(key);
            if (!name) {
              const { user } = await this.client.users.info({ user: id });
              name = user?.profile?.display_name || user?.real_name || user?.name || '';
              if (name) await this.redis.set(key, name, 'EX', CACHE_SECONDS * 12);
            }
            if (name) names[id] = name;
          } catch {
            // Unknown or deleted user, or Slack unreachable: the id is shown instead.
          }
        }),
    );
    return names;
  }
}
