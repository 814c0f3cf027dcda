import type { Logger } from '../log.js';
import type { Reply } from '../../views/reply.js';

/** One button click, reduced to what a handler needs. */
export interface Click {
  actionId: string;
  value: string;
  userId: string;
  userName?: string;
  channelId?: string;
  messageTs?: string;
  log: Logger;
}

/**
 * A button handler contributed by a feature (approvals, incidents, alerts…).
 * It may return a reply shown only to the clicker (a refusal, a result).
 */
export interface ActionListener {
  actionId: string;
  handle(click: Click): Promise<Reply | undefined>;
}
