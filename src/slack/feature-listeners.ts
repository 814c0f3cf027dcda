import type { ViewStateValue } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import { newErrorRef } from '../errors.js';
import type { Logger } from '../log.js';
import { renderFailure } from '../../views/errors.js';
import type { ActionListener, EventListener, ViewListener } from '../core/interactions.js';
import type { ShortcutListener } from '../core/interactions.js';
import { registerShortcuts } from './shortcut-listeners.js';
import { toSlackMessage } from './render.js';

export interface FeatureListeners {
  actions: ActionListener[];
  views: ViewListener[];
  events: EventListener[];
  shortcuts?: ShortcutListener[];
}

type FirstDelivery = (body: unknown, context: { retryNum?: number; retryReason?: string }) => Promise<boolean>;

function actionMatcher(actionId: string): string | RegExp {
  return actionId.endsWith('*') ? new RegExp(`^${actionId.slice(0, -1).replace(/[.]/g, '\\.')}`) : actionId;
}

/** Flattens view state ({ block: { action: element } }) to { block: value }. */
function flattenValues(
  state: Record<string, Record<string, ViewStateValue>>,
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [blockId, actions] of Object.entries(state)) {
    const element: Partial<ViewStateValue> = Object.values(actions)[0] ?? {};
    out[blockId] =
      element.value ??
      element.selected_option?.value ??
      element.selected_user ??
      element.selected_channel ??
      element.selected_conversation ??
      element.selected_date ??
      element.selected_options?.map((o: { value: string }) => o.value) ??
      element.selected_users ??
      undefined;
  }
  return out;
}

/** Registers the buttons, modals and events that features contribute; each acks first, then works. */
export function registerFeatureListeners(
  app: App,
  listeners: FeatureListeners,
  firstDelivery: FirstDelivery,
  log: Logger,
): void {
  for (const listener of listeners.actions) {
    app.action(actionMatcher(listener.actionId), async ({ ack, body, action, respond, context }) => {
      await ack();
      if (!(await firstDelivery(body, context))) return;
      const clickLog = log.child({
        requestId: randomUUID().slice(0, 8),
        user: body.user.id,
        action: listener.actionId,
      });
      const a = action as {
        action_id: string;
        value?: string;
        block_id?: string;
        selected_option?: { value: string };
        selected_options?: { value: string }[];
      };
      const selected = a.selected_options?.map((o) => o.value);
      try {
        const answer = await listener.handle({
          actionId: a.action_id,
          value: a.value ?? a.selected_option?.value ?? selected?.join(',') ?? '',
          selected,
          blockId: a.block_id,
          userId: body.user.id,
          userName: body.user.name,
          channelId: 'channel' in body && body.channel ? body.channel.id : undefined,
          messageTs: 'message' in body && body.message ? String(body.message.ts) : undefined,
          triggerId: 'trigger_id' in body ? String(body.trigger_id) : undefined,
          log: clickLog,
        });
        if (answer) await respond({ response_type: 'ephemeral', replace_original: false, ...toSlackMessage(answer) });
      } catch (err) {
        const ref = newErrorRef();
        clickLog.error({ err, ref }, 'button handler failed');
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...toSlackMessage(renderFailure(listener.actionId, ref)),
        }).catch(() => undefined);
      }
    });
  }

  for (const listener of listeners.views) {
    // Modals must be answered within 3 s with errors or nothing, so the handler's work is awaited before ack.
    app.view(listener.callbackId, async ({ ack, body, view }) => {
      const viewLog = log.child({ requestId: randomUUID().slice(0, 8), user: body.user.id, view: listener.callbackId });
      try {
        const errors = await listener.handle({
          callbackId: view.callback_id,
          userId: body.user.id,
          values: flattenValues(view.state.values),
          privateMetadata: view.private_metadata ?? '',
          log: viewLog,
        });
        await ack(errors ? { response_action: 'errors', errors } : undefined);
      } catch (err) {
        const ref = newErrorRef();
        viewLog.error({ err, ref }, 'modal handler failed');
        const firstBlock = view.blocks.find((b) => 'block_id' in b && b.block_id)?.block_id ?? 'title';
        await ack({
          response_action: 'errors',
          errors: { [firstBlock]: `Something went wrong (ref ${ref}). Try again.` },
        });
      }
    });
  }

  registerShortcuts(app, listeners.shortcuts ?? [], firstDelivery, log);

  for (const listener of listeners.events) {
    app.event(listener.event, async ({ event, body, context }) => {
      if (!(await firstDelivery(body, context))) return;
      await listener
        .handle(event as unknown as Record<string, unknown>, log.child({ event: listener.event }))
        .catch((err) => log.error({ err, event: listener.event }, 'event handler failed'));
    });
  }
}
