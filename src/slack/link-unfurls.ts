import type { Feature } from '../core/feature.js';
import { parseOpsbotLink, type LinkCards } from '../core/links.js';
import type { Logger } from '../log.js';
import type { SlackMessenger } from './messenger.js';
import { toSlackMessage } from './render.js';

/** At most this many links of one message are looked up (Slack sends every link of the message). */
const MAX_LINKS = 5;

interface LinkSharedEvent {
  channel?: string;
  message_ts?: string;
  unfurl_id?: string;
  source?: string;
  links?: { url: string; domain?: string }[];
}

/**
 * `link_shared` for opsbot's own links (src/core/links.ts): each incident or alert link gets its card
 * through chat.unfurl (the scope `links:write`; `links:read` for the event). Unknown ids and other
 * links are left as Slack shows them.
 */
export function linkUnfurlFeature(
  publicUrl: string,
  cards: LinkCards,
  messenger: SlackMessenger,
  log: Logger,
): Feature {
  const handle = async (raw: Record<string, unknown>): Promise<void> => {
    const event = raw as LinkSharedEvent;
    const unfurls: Record<string, { color?: string; blocks: unknown[] }> = {};
    for (const { url } of (event.links ?? []).slice(0, MAX_LINKS)) {
      const link = parseOpsbotLink(publicUrl, url);
      if (!link) continue;
      const card = await cards.card(link);
      if (!card) continue;
      const m = toSlackMessage(card);
      const attachment = m.attachments?.[0];
      unfurls[url] = {
        ...(attachment?.color ? { color: attachment.color } : {}),
        blocks: [...(m.blocks ?? []), ...(attachment?.blocks ?? [])],
      };
    }
    if (Object.keys(unfurls).length === 0) return;
    const where =
      event.unfurl_id && event.source
        ? { unfurl_id: event.unfurl_id, source: event.source }
        : { channel: event.channel!, ts: event.message_ts! };
    try {
      await messenger.client.chat.unfurl({ ...where, unfurls } as Parameters<typeof messenger.client.chat.unfurl>[0]);
    } catch (err) {
      log.warn({ err, links: Object.keys(unfurls) }, 'could not unfurl opsbot links');
    }
  };
  return { name: 'link-unfurls', events: [{ event: 'link_shared', handle }] };
}
