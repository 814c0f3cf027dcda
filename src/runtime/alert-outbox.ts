import type { Redis } from 'ioredis';
import { ChannelPacer } from '../alerts/pacing.js';
import type { AlertServiceDeps } from '../alerts/deps.js';
import type { OpsConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { AlertOutbox } from '../slack/alert-outbox.js';
import type { SlackMessenger } from '../slack/messenger.js';

// The alert service's delivery: the Slack outbox, paced per channel. Part of the composition root.

export interface OutboxParts {
  config: OpsConfig;
  connection: Redis;
  redis: Redis;
  prefix: string;
  messenger?: SlackMessenger;
  log: Logger;
}

/** The factory the alert service calls with its store and renderer; `built` receives the outbox for /metrics. */
export function alertOutboxFactory(
  parts: OutboxParts,
  built: (outbox: AlertOutbox) => void,
): AlertServiceDeps['delivery'] {
  return (service) => {
    const outbox = new AlertOutbox({
      connection: parts.connection,
      redis: parts.redis,
      prefix: parts.prefix,
      messenger: parts.messenger,
      pacer: new ChannelPacer(parts.redis, parts.prefix, parts.config.alerts.delivery),
      log: parts.log,
      ...service,
    });
    built(outbox);
    return outbox;
  };
}
