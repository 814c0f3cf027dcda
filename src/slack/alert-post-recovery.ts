import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { slackErrorCode } from './messenger.js';

/**
 * Exactly-once posting of alert messages, without an idempotency key in chat.postMessage.
 *
 * The outbox records the intent (alert_messages.post_started_at) before it posts, and every post carries
 * Slack message metadata naming this opsbot (its Redis prefix) and the alert message id. A crash between
 * Slack accepting the post and the ts being stored leaves an intent without a ts; the next sync reads the
 * channel's history since the intent (conversations.history with include_all_metadata) and adopts the
 * earlier post — editing it in place — instead of posting a second copy.
 *
 * Chosen over a marker in the text (users would see it, and edits could drop it) and over "post, then
 * delete duplicates" (the channel would flash two messages). Costs: the channels:history/groups:history
 * scopes (already in manifest.yml) and one history read, only on the rare recovery path.
 */
export const ALERT_METADATA_EVENT = 'opsbot_alert_message';

export interface AlertMetadata {
  event_type: string;
  event_payload: { opsbot: string; message_id: string };
}

export function alertMessageMetadata(instance: string, messageId: string): AlertMetadata {
  return { event_type: ALERT_METADATA_EVENT, event_payload: { opsbot: instance, message_id: messageId } };
}

/** Slack errors after which the history cannot be read at all: post (at least once) rather than never. */
const CANNOT_READ = new Set(['missing_scope', 'not_in_channel', 'channel_not_found', 'no_permission']);

const PAGES = 5;
/** Slack's clock and ours differ a little; look a bit before the intent. */
const SKEW_MS = 60_000;

/**
 * The ts of a message this opsbot posted for `messageId` since `since`, or undefined when there is none.
 * Errors other than "cannot read this channel" propagate, so the outbox retries later (Slack is down).
 */
export async function findEarlierPost(
  client: WebClient,
  args: { channel: string; instance: string; messageId: string; since: Date },
  log: Logger,
): Promise<string | undefined> {
  let cursor: string | undefined;
  try {
    for (let page = 0; page < PAGES; page++) {
      const res = await client.conversations.history({
        channel: args.channel,
        oldest: ((args.since.getTime() - SKEW_MS) / 1000).toFixed(6),
        limit: 200,
        include_all_metadata: true,
        cursor,
      });
      for (const m of res.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
        if (
          meta?.event_type === ALERT_METADATA_EVENT &&
          meta.event_payload?.opsbot === args.instance &&
          String(meta.event_payload?.message_id) === args.messageId &&
          m.ts
        )
          return m.ts;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    log.warn(
      { channel: args.channel, messageId: args.messageId },
      'earlier alert post not found in 5 pages of history',
    );
    return undefined;
  } catch (err) {
    const code = slackErrorCode(err);
    if (!code || !CANNOT_READ.has(code)) throw err;
    log.warn(
      { channel: args.channel, error: code },
      'cannot read the alert channel history to find an interrupted post; posting again (add channels:history)',
    );
    return undefined;
  }
}
