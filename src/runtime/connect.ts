import type { Redis } from 'ioredis';
import type { RuntimeEnv } from '../config/runtime-env.js';
import type { Logger } from '../log.js';
import { redactSecrets } from '../redact.js';
import { migrate } from '../store/migrate.js';
import { connectRedis } from '../store/redis-connection.js';

// Connecting opsbot's own Redis and Postgres at start-up. Part of the composition root (src/runtime.ts).

/** BullMQ connects its connection on first use; wait for it so start-up fails loudly when Redis is down. */
export async function untilReady(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis unreachable after ${timeoutMs / 1000}s`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * For the terminal (the fallback when Slack or opsbot's own services are down): connects what it can and
 * returns what could not be reached, each naming the variable to set, instead of failing.
 */
export async function connectWhatYouCan(redis: Redis, env: RuntimeEnv, log: Logger): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all([
    redis
      .connect()
      .catch((err: Error) =>
        problems.push(
          `Redis is unreachable (REDIS_URL=${redactSecrets(env.redisUrl)}): ${err.message}. Jobs will not start; set REDIS_URL.`,
        ),
      ),
    migrate(env.databaseUrl, log).catch((err: Error) =>
      problems.push(
        `opsbot's own database is unreachable (DATABASE_URL=${redactSecrets(env.databaseUrl)}): ${redactSecrets(err.message)}. ` +
          'Audit and approvals are paused; set DATABASE_URL, e.g. postgres://opsbot:…@db.internal:5432/opsbot.',
      ),
    ),
  ]);
  return problems;
}

/**
 * opsbot's two Redis connections: one for commands, caches and delivery ids that fails fast instead of
 * queueing while Redis is away, and BullMQ's own with unlimited retries.
 */
export function openRedis(env: RuntimeEnv, log: Logger): { redis: Redis; bullConnection: Redis } {
  const redis = connectRedis(env.redisUrl, {
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 3000,
    lazyConnect: true,
  });
  redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const bullConnection = connectRedis(env.redisUrl, { maxRetriesPerRequest: null, connectTimeout: 3000 });
  bullConnection.on('error', (err) => log.warn({ err }, 'redis (jobs) connection error'));
  return { redis, bullConnection };
}
