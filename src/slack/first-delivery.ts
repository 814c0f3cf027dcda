import type { Logger } from '../log.js';
import { renderUserError } from '../../views/errors.js';
import { deliveryId, type DeliveryGuard } from './delivery-guard.js';
import type { Respond } from './deliver.js';
import { toSlackMessage } from './render.js';

/** What a listener knows of a delivery that typed a command: its text and where to answer. */
export interface TypedDelivery {
  text: string;
  respond: Respond;
}

export type FirstDelivery = (
  body: unknown,
  context: { retryNum?: number; retryReason?: string },
  typed?: TypedDelivery,
) => Promise<boolean>;

export const UNKNOWN_DELIVERY_REFUSAL =
  'opsbot cannot tell whether Slack already delivered this (Redis and its database are unreachable); try again in a minute.';

/** `help` (and an empty command, which is help) is safe to run twice; everything else is refused unknown. */
export function isHelp(text: string): boolean {
  const first = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return first === '' || first === 'help';
}

/**
 * Whether a listener should run this delivery: the first one of its id does, a repeat does not. When
 * neither Redis nor Postgres can say, only `help` runs; a typed command gets an ephemeral refusal saying
 * why, and a click or event is dropped with a warning (Slack's retry or the user's next click tries again).
 */
export function firstDeliveryOf(guard: DeliveryGuard, log: Logger): FirstDelivery {
  return async (body, context, typed) => {
    // Yield first, so requests that arrived together are all acknowledged before any of them does work.
    await new Promise((resolve) => setImmediate(resolve));
    const id = deliveryId(body as Record<string, unknown>);
    const claim = await guard.check(id);
    if (claim === 'first') return true;
    if (claim === 'repeat') {
      log.info(
        { retryNum: context.retryNum, retryReason: context.retryReason, id },
        'duplicate Slack delivery ignored',
      );
      return false;
    }
    if (typed && isHelp(typed.text)) return true;
    log.warn({ id, retryNum: context.retryNum }, 'Slack delivery refused: Redis and Postgres unreachable');
    await typed
      ?.respond({ response_type: 'ephemeral', ...toSlackMessage(renderUserError(UNKNOWN_DELIVERY_REFUSAL)) })
      .catch((err: unknown) => log.warn({ err }, 'could not post the refusal'));
    return false;
  };
}
