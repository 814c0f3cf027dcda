// What the validator reports and how Slack answers with it: each problem is a JSON pointer and Slack's
// wording; a rejected chat.* call answers `invalid_blocks`, a rejected views.* call `invalid_arguments`.

/* eslint-disable @typescript-eslint/no-explicit-any -- the answers are loose JSON, as Slack sends them */

/** Where Block Kit appears: a message (chat.*, response_url) or a view (modal, App Home). */
export type Surface = 'message' | 'modal' | 'home';

export interface BlockKitProblem {
  /** JSON pointer into the request, e.g. /blocks/3/text/text or /view/title. */
  pointer: string;
  /** Slack's wording without the pointer, e.g. "must be less than 3001 characters". */
  message: string;
  /** The error code Slack answers for it when not `invalid_blocks` (two tables: `invalid_attachments`). */
  error?: string;
}

/** `[ERROR] <message> [json-pointer:<pointer>]`, as in Slack's `response_metadata.messages`. */
export function formatProblem(p: BlockKitProblem): string {
  return `[ERROR] ${p.message} [json-pointer:${p.pointer}]`;
}

/** Marks an answer as a Block Kit rejection (a symbol key: never serialised to the client). */
export const BLOCK_KIT_REJECTION: unique symbol = Symbol('block-kit-rejection');

/** Slack's answer to a message it rejects (chat.*): HTTP 200, `invalid_blocks`. */
export function invalidBlocksAnswer(problems: BlockKitProblem[]): Record<string | symbol, any> {
  return {
    ok: false,
    error: problems.find((p) => p.error)?.error ?? 'invalid_blocks',
    errors: problems.map((p) => `${p.message} [json-pointer:${p.pointer}]`),
    response_metadata: { messages: problems.map(formatProblem) },
    [BLOCK_KIT_REJECTION]: problems,
  };
}

/** Slack's answer to a view it rejects (views.*): HTTP 200, `invalid_arguments`. */
export function invalidViewAnswer(problems: BlockKitProblem[]): Record<string | symbol, any> {
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: problems.map(formatProblem) },
    [BLOCK_KIT_REJECTION]: problems,
  };
}
