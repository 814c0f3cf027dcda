import type { Reply } from './reply.js';

/**
 * How alert messages reach their channels: paced, one writer per message,
 * retried until delivered, surviving restarts. The alert pipeline only asks;
 * the Slack outbox (src/slack/alert-outbox.ts) does the posting.
 */
export interface AlertDelivery {
  /** Asks for the alert message to be rendered from its newest state and sent; requests fold together. */
  requestSync(messageId: string, channel: string): Promise<void>;
  /** A one-off message (in the thread of an alert message when `threadOfMessageId` is given). */
  post(channel: string, reply: Reply, threadOfMessageId?: string): Promise<void>;
  /** After a restart: messages whose last change was not sent are asked for again; returns how many. */
  reconcile(): Promise<number>;
  /** What is still to be delivered: for /ops jobs and /metrics while Slack is down or throttling. */
  backlog(): Promise<DeliveryBacklog>;
  /** Starts delivering in this process (where workers run). */
  start(): void;
  close(): Promise<void>;
}

/** The outbox's backlog: deliveries queued or being retried, and alert messages whose last change is unsent. */
export interface DeliveryBacklog {
  /** Deliveries waiting or running now. */
  pending: number;
  /** Deliveries waiting for their next attempt after a failure or a rate limit (Slack down, 429). */
  retrying: number;
  /** Deliveries that gave up after every attempt (kept for a week). */
  failed: number;
  /** Alert messages whose newest state Slack has not shown yet. */
  unsyncedMessages: number;
  /** When the oldest waiting or retrying delivery was queued. */
  oldestQueuedAt?: Date;
}
