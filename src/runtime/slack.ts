import type { Redis } from 'ioredis';
import type { RuntimeEnv } from '../config/runtime-env.js';
import type { Feature } from '../core/feature.js';
import type { Metrics } from '../http/metrics.js';
import { operationalRoutes } from '../http/routes.js';
import type { Logger } from '../log.js';
import type { Dispatcher } from '../router/dispatcher.js';
import { createSlackApp, type SlackApp } from '../slack/app.js';
import { DeliveryGuard } from '../slack/delivery-guard.js';
import { SlackIdentity } from '../slack/identity.js';
import type { JobStarter } from '../slack/job-starter.js';
import type { SlackMessenger } from '../slack/messenger.js';
import type { StoreHealth } from '../store/store-health.js';
import { SlackDeliveryRepository } from '../store/slack-deliveries.js';
import type { Pool } from '../store/pool.js';

// The Bolt app of one opsbot process, with /healthz, /readyz and /metrics beside /slack/events, and every
// feature's buttons, modals, events and routes. Part of the composition root (src/runtime.ts).

export interface SlackAppParts {
  env: RuntimeEnv;
  messenger: SlackMessenger;
  dispatcher: Dispatcher;
  jobStarter: JobStarter;
  features: Feature[];
  metrics: Metrics;
  storeHealth: StoreHealth;
  redis: Redis;
  /** The delivery guard's fallback while Redis is away. */
  pool: Pool;
  log: Logger;
}

export function buildSlackApp(parts: SlackAppParts): SlackApp {
  const { env, messenger, features, log } = parts;
  const identity = new SlackIdentity(messenger.client, env.slackBotToken, log);
  const routes = [
    ...operationalRoutes(parts.metrics, [
      { name: 'postgres', check: () => parts.storeHealth.check() },
      { name: 'redis', check: () => parts.redis.ping() },
      { name: 'slack', check: () => identity.check() },
    ]),
    ...features.flatMap((f) => f.routes ?? []),
  ];
  return createSlackApp({
    runtime: env,
    dispatcher: parts.dispatcher,
    jobStarter: parts.jobStarter,
    listeners: {
      actions: features.flatMap((f) => f.actions ?? []),
      views: features.flatMap((f) => f.views ?? []),
      events: features.flatMap((f) => f.events ?? []),
      shortcuts: features.flatMap((f) => f.shortcuts ?? []),
    },
    messenger,
    guard: new DeliveryGuard(parts.redis, env.redisPrefix, {
      fallback: new SlackDeliveryRepository(parts.pool),
      fallbackUp: () => parts.storeHealth.isUp,
      onFallback: (reason) => log.warn({ reason }, 'Redis unreachable: Slack delivery claimed in Postgres'),
    }),
    identity,
    routes,
    log,
  });
}

/** Stops taking requests, then waits (up to `graceMs`) for listener work already started after its ack. */
export async function stopSlack(app: SlackApp, graceMs: number, log: Logger): Promise<void> {
  await app.stop().catch(() => undefined);
  if (app.inFlight.size > 0) log.info({ inFlight: app.inFlight.size }, 'waiting for Slack requests in flight');
  if (!(await app.inFlight.idle(graceMs)))
    log.warn({ inFlight: app.inFlight.size }, 'Slack requests still running at shutdown');
}
