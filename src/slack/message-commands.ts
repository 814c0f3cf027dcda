import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import { runAndDeliver, type DeliveryDeps, type Respond } from './deliver.js';
import type { SlackAppDeps } from './app.js';

/**
 * `@opsbot health prod` in a channel and `health prod` in a DM to the bot run exactly what
 * `/ops health prod` runs: the same dispatcher, so the same access rules, approvals and audit.
 * A mention is answered in its thread (a new thread under the message when it was top-level),
 * a DM in the DM. Messages from bots (opsbot's own included), edits, deletions and every other
 * message subtype are ignored, so nothing answers itself or runs twice.
 */

import type { FirstDelivery } from './first-delivery.js';

/** The fields of an app_mention or message event this listener reads. */
export interface MessageEventFields {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  channel?: string;
  channel_type?: string;
  edited?: unknown;
}

/** The command in a mention or DM: leading mentions of the bot and an optional "/ops" dropped; empty is help. */
export function commandTextOf(text: string): string {
  const stripped = text
    .replace(/^(\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s,:]*)+/, '')
    .replace(/^\/?ops\s+/i, '')
    .trim();
  return stripped === '' || /^\/?ops$/i.test(stripped) ? 'help' : stripped;
}

/** Whether an event is a person's new message: no bot, no subtype (edits, joins, deletions), not opsbot. */
export function isPersonMessage(e: MessageEventFields, botUserId?: string): boolean {
  if (e.bot_id || e.subtype || e.edited) return false;
  if (!e.user || !e.channel || typeof e.text !== 'string') return false;
  return e.user !== botUserId;
}

function replyIn(deps: DeliveryDeps, channel: string, user: string, threadTs: string | undefined, dm: boolean) {
  const respond: Respond = async (m) => {
    const { text, blocks, attachments } = m;
    const thread = threadTs ? { thread_ts: threadTs } : {};
    // An ephemeral answer (an access refusal, a usage hint) is for the asker only; in a DM every answer is.
    if (m.response_type === 'ephemeral' && !dm)
      return deps.messenger.client.chat.postEphemeral({ channel, user, text, blocks, attachments, ...thread });
    return deps.messenger.client.chat.postMessage({ channel, text, blocks, attachments, ...thread });
  };
  return respond;
}

export function registerMessageCommands(app: App, deps: SlackAppDeps, firstDelivery: FirstDelivery): void {
  const run = async (
    e: MessageEventFields,
    body: unknown,
    context: { retryNum?: number; retryReason?: string; botUserId?: string },
    via: 'mention' | 'dm',
  ) => {
    if (!isPersonMessage(e, context.botUserId)) return;
    // Claimed under an id of its own: another listener of the same event (an incident timeline reading
    // channel messages) claims the plain event id, and both must run.
    const id = (body as { event_id?: string }).event_id;
    const dm = via === 'dm';
    const threadTs = dm ? e.thread_ts : (e.thread_ts ?? e.ts);
    const respond = replyIn(deps, e.channel!, e.user!, threadTs, dm);
    const text = commandTextOf(e.text!);
    if (!(await firstDelivery(id ? { event_id: `${id}:${via}` } : body, context, { text, respond }))) return;
    const log = deps.log.child({ requestId: randomUUID().slice(0, 8), user: e.user, channel: e.channel, via });
    await runAndDeliver(deps, {
      text,
      userId: e.user!,
      channelId: e.channel,
      respond,
      log,
    });
  };

  app.event('app_mention', async ({ event, body, context }) => {
    await run(event as MessageEventFields, body, context, 'mention');
  });
  app.event('message', async ({ event, body, context }) => {
    const e = event as MessageEventFields;
    if (e.channel_type !== 'im') return;
    await run(e, body, context, 'dm');
  });
}
