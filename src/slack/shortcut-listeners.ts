import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import { newErrorRef } from '../errors.js';
import type { Logger } from '../log.js';
import type { Reply } from '../core/reply.js';
import type { Shortcut, ShortcutListener } from '../core/interactions.js';
import { renderFailure } from '../../views/errors.js';
import { toSlackMessage } from './render.js';

type FirstDelivery = (body: unknown, context: { retryNum?: number; retryReason?: string }) => Promise<boolean>;

/** The fields of Slack's `shortcut` and `message_action` payloads a handler needs. */
interface ShortcutPayload {
  type: 'shortcut' | 'message_action';
  callback_id: string;
  trigger_id: string;
  user: { id: string };
  channel?: { id: string };
  message?: { ts: string; text?: string; user?: string };
}

/**
 * Shortcuts features contribute, each acked at once (Slack allows 3 s, and the trigger id to open a
 * modal is good for 3 s too). A handler's reply goes to the person only: ephemerally beside the message
 * for a message shortcut, as a DM from opsbot for a global one (it has no channel).
 */
export function registerShortcuts(
  app: App,
  listeners: ShortcutListener[],
  firstDelivery: FirstDelivery,
  log: Logger,
): void {
  for (const listener of listeners) {
    app.shortcut(listener.callbackId, async ({ ack, body, client, context }) => {
      await ack();
      if (!(await firstDelivery(body, context))) return;
      const p = body as unknown as ShortcutPayload;
      const shortcutLog = log.child({
        requestId: randomUUID().slice(0, 8),
        user: p.user.id,
        shortcut: listener.callbackId,
      });
      const shortcut: Shortcut = {
        callbackId: p.callback_id,
        kind: p.type === 'message_action' ? 'message' : 'global',
        userId: p.user.id,
        triggerId: p.trigger_id,
        channelId: p.channel?.id,
        message: p.message ? { ts: p.message.ts, text: p.message.text ?? '', user: p.message.user } : undefined,
        log: shortcutLog,
      };
      let answer: Reply | undefined;
      try {
        answer = await listener.handle(shortcut);
      } catch (err) {
        const ref = newErrorRef();
        shortcutLog.error({ err, ref }, 'shortcut handler failed');
        answer = renderFailure(listener.callbackId, ref);
      }
      if (!answer) return;
      const message = toSlackMessage(answer);
      try {
        if (shortcut.channelId)
          await client.chat.postEphemeral({ channel: shortcut.channelId, user: shortcut.userId, ...message });
        else await client.chat.postMessage({ channel: shortcut.userId, ...message });
      } catch (err) {
        shortcutLog.warn({ err }, 'could not tell the person what the shortcut did');
      }
    });
  }
}
