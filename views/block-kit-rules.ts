// Slack's documented Block Kit limits, in one place, each with the page it comes from,
// and a validator that applies them the way Slack's API does: the fake Slack Web API
// (tests and the playground) answers `invalid_blocks` / `invalid_arguments` with these
// problems, so a message real Slack would reject fails in tests, not in production.
//
// Problem wording follows what Slack answers (`must be less than 3001 characters`,
// `no more than 50 items allowed`, `missing required field: text`, each followed by
// `[json-pointer:/blocks/0/text/text]`); checks Slack words differently say the same in
// that style. Length limits count characters as Slack's docs do (UTF-16 code units here).

/* eslint-disable @typescript-eslint/no-explicit-any -- it walks payloads of any shape, as Slack receives them */

import { BLOCK_KIT_LIMITS } from './block-kit-limits.js';
import { checkMessageTables } from './block-kit-tables.js';
import { Checker } from './block-kit-checker.js';
import type { BlockKitProblem, Surface } from './block-kit-problems.js';

export { BLOCK_KIT_LIMITS } from './block-kit-limits.js';
export {
  BLOCK_KIT_REJECTION,
  formatProblem,
  invalidBlocksAnswer,
  invalidViewAnswer,
  type BlockKitProblem,
  type Surface,
} from './block-kit-problems.js';

const L = BLOCK_KIT_LIMITS;

/**
 * A message body as chat.postMessage, chat.postEphemeral, chat.update or a response_url
 * receive it (`text`, `blocks`, `attachments[].blocks`). Empty list: Slack accepts it.
 */
export function checkMessage(body: Record<string, any>): BlockKitProblem[] {
  const c = new Checker();
  if (body.blocks !== undefined) c.blocks(body.blocks, '/blocks', 'message', L.blocksPerMessage);
  if (Array.isArray(body.attachments))
    body.attachments.forEach((a: any, i: number) => {
      if (a && typeof a === 'object' && a.blocks !== undefined)
        c.blocks(a.blocks, `/attachments/${i}/blocks`, 'message', L.blocksPerMessage);
    });
  checkMessageTables(body, (p, m, e) => c.fail(p, m, e));
  if (typeof body.text === 'string' && body.text.length > L.messageText.max)
    c.fail('/text', `must be less than ${L.messageText.max + 1} characters`);
  return c.problems;
}

/** A view as views.open, views.push, views.update (modal) and views.publish (home) receive it. */
export function checkView(view: unknown, expected?: Surface): BlockKitProblem[] {
  const c = new Checker();
  const at = '/view';
  if (!c.object(view, at)) return c.problems;
  if (!c.required(view, 'type', at)) return c.problems;
  if (view.type !== 'modal' && view.type !== 'home') {
    c.fail(`${at}/type`, 'must be a valid enum value');
    return c.problems;
  }
  if (expected && view.type !== expected) c.fail(`${at}/type`, `must be ${expected} for this method`);
  const surface: Surface = view.type;
  if (c.required(view, 'blocks', at)) c.blocks(view.blocks, `${at}/blocks`, surface, L.blocksPerView);
  if (surface === 'modal') {
    if (c.required(view, 'title', at)) c.text(view.title, `${at}/title`, L.modalTitle, 'plain_text');
    if (view.submit !== undefined) c.text(view.submit, `${at}/submit`, L.modalSubmit, 'plain_text');
    if (view.close !== undefined) c.text(view.close, `${at}/close`, L.modalClose, 'plain_text');
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b: any) => b?.type === 'input');
    if (hasInput && view.submit === undefined) c.fail(at, 'missing required field: submit');
  }
  c.string(view.private_metadata, `${at}/private_metadata`, L.privateMetadata);
  c.string(view.callback_id, `${at}/callback_id`, L.callbackId);
  c.string(view.external_id, `${at}/external_id`, L.externalId);
  return c.problems;
}
