// What the fake Slack records (Web API calls, response_url posts, Block Kit violations), the options and
// overrides tests give it, and the polling behind its waitFor* methods.
import type { BlockKitProblem } from '../../../views/block-kit-rules.js';
import type { Answer, Args } from './fake-slack-state.js';

export interface RecordedCall {
  method: string;
  args: Args;
  /** Bearer token (or body `token`), kept out of args and never echoed back. */
  token?: string;
  /** Date.now() when the request arrived. */
  at: number;
  status: number;
  response: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
export interface ResponseUrlPost {
  id: string;
  /** As posted: JSON bodies are parsed, so tests read fields without casting. */
  body: ResponseUrlBody;
  at: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body of any shape, read field by field by tests
type ResponseUrlBody = any;
export interface WaitOptions {
  timeoutMs?: number;
  count?: number;
}
/** A message or view the fake rejected for breaking Block Kit's rules, as real Slack would. */
export interface BlockKitViolation {
  /** The Web API method, or `response_url`. */
  method: string;
  problems: BlockKitProblem[];
  /** Slack's `response_metadata.messages`, e.g. "[ERROR] no more than 50 items allowed [json-pointer:/blocks]". */
  messages: string[];
  at: number;
}
export type CallPredicate = (call: RecordedCall) => boolean;
export type MethodOverride = (args: Args, call: RecordedCall) => Answer | Promise<Answer>;
export interface FakeSlackOptions {
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** Answer `not_authed` when no token is sent. */ requireToken?: boolean;
}

export async function poll<T>(
  get: () => T[],
  opts: WaitOptions,
  describe: (n: number, want: number, ms: number) => string,
): Promise<T[]> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const want = opts.count ?? 1;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = get();
    if (found.length >= want) return found;
    if (Date.now() >= deadline) throw new Error(describe(found.length, want, timeoutMs));
    await new Promise((r) => setTimeout(r, 10));
  }
}
