import type { SlackMessage } from './render.js';
import type { Logger } from '../log.js';
import type { Reply } from '../core/reply.js';
import { toSlackMessage } from './render.js';
import { slackErrorCode } from './messenger.js';
import { renderUserError } from '../../views/errors.js';
import type { SlackAppDeps } from './app.js';

// Running a typed command and delivering its reply: the same path for /ops, a Run button, an
// @opsbot mention and a DM (message-commands.ts), so access rules, audit and replies never differ.

/** What runAndDeliver needs of the app's dependencies. */
/** Where a reply goes: Bolt's respond() for /ops and buttons, a thread or DM post for mentions and DMs. */
export type Respond = (message: SlackMessage & { response_type: 'ephemeral' | 'in_channel' }) => Promise<unknown>;

export type DeliveryDeps = Pick<SlackAppDeps, 'dispatcher' | 'jobStarter' | 'messenger'>;

export interface Delivery {
  text: string;
  userId: string;
  userName?: string;
  channelId?: string;
  triggerId?: string;
  respond: Respond;
  log: Logger;
  /** Replies to button clicks go only to the clicker, so a shared message is not buried in answers. */
  forceEphemeral?: boolean;
}

export async function runAndDeliver(deps: DeliveryDeps, d: Delivery): Promise<void> {
  try {
    const result = await deps.dispatcher.dispatch({
      text: d.text,
      actor: { id: d.userId, name: d.userName },
      channelId: d.channelId,
      triggerId: d.triggerId,
      source: 'slack',
      log: d.log,
    });
    if (result.kind === 'job') {
      const { note } = await deps.jobStarter.start(result.request, result.ctx);
      if (note) await reply(d, note, deps);
      return;
    }
    await reply(d, result.reply, deps);
  } catch (err) {
    // Only Slack itself failing lands here (the dispatcher turns command errors into replies).
    d.log.error({ err }, 'could not deliver a reply to Slack');
    await d
      .respond({
        response_type: 'ephemeral',
        ...toSlackMessage(
          renderUserError(
            'opsbot could not post its reply in this channel. Invite it with `/invite @opsbot` and try again.',
          ),
        ),
      })
      .catch(() => undefined);
  }
}

async function reply(d: Delivery, r: Reply, deps: DeliveryDeps): Promise<void> {
  if (r.modal && d.triggerId) {
    try {
      await deps.messenger.client.views.open({ trigger_id: d.triggerId, view: r.modal });
    } catch (err) {
      // Slack gives 3 s to open a form; past that (or without the scope) say how to do without it.
      d.log.warn({ err }, 'could not open a modal');
      const why = slackErrorCode(err) ?? 'Slack did not answer';
      await d.respond({
        response_type: 'ephemeral',
        ...toSlackMessage(
          renderUserError(
            `The form could not be opened (${why}).`,
            'Type the arguments instead; `/ops help <command>` shows them.',
          ),
        ),
      });
    }
    return;
  }
  const ephemeral = d.forceEphemeral || r.ephemeral;
  await d.respond({ response_type: ephemeral ? 'ephemeral' : 'in_channel', ...toSlackMessage(r) });
  if (r.files?.length && d.channelId && !ephemeral) await deps.messenger.uploadFiles(d.channelId, r);
}
