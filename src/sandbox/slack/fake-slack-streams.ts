// chat.startStream, chat.appendStream and chat.stopStream for the fake Slack Web API, with the argument
// checks the Web API documents (docs.slack.dev/reference/methods/chat.startStream and its siblings, and the
// SDK's ChatStartStreamArguments): a stream is a reply in a thread (`thread_ts` of an existing message);
// outside a DM it names its recipient (`recipient_user_id` and `recipient_team_id`); `markdown_text` is at
// most 12,000 characters; append and stop only work on a stream that is still streaming.

import type { Answer, Args, FakeState, StoredMessage } from './fake-slack-state.js';

export const MARKDOWN_TEXT_LIMIT = 12_000;

/** What the fake remembers of a stream beside its message: whether it still streams. */
const streaming = new WeakMap<StoredMessage, boolean>();

const err = (error: string): Answer => ({ ok: false, error });

function markdownProblem(a: Args): Answer | undefined {
  if (typeof a.markdown_text !== 'string' && a.chunks === undefined) return err('invalid_arguments');
  if (typeof a.markdown_text === 'string' && a.markdown_text.length > MARKDOWN_TEXT_LIMIT) return err('msg_too_long');
  return undefined;
}

export function chatStartStream(a: Args, s: FakeState): Answer {
  if (!a.channel) return err('channel_not_found');
  if (!a.thread_ts) return err('invalid_arguments');
  const parent = s.find(String(a.channel), String(a.thread_ts));
  if (!parent) return err('message_not_found');
  const isDm = String(a.channel).startsWith('D');
  if (!isDm && (!a.recipient_user_id || !a.recipient_team_id)) return err('invalid_arguments');
  const bad = markdownProblem(a);
  if (bad) return bad;
  const m: StoredMessage = {
    ts: s.nextTs(),
    text: typeof a.markdown_text === 'string' ? a.markdown_text : '',
    thread_ts: String(a.thread_ts),
    user: s.botUserId,
    updates: 0,
  };
  (s.messages[String(a.channel)] ??= []).push(m);
  streaming.set(m, true);
  return { ok: true, channel: a.channel, ts: m.ts };
}

function activeStream(a: Args, s: FakeState): { message: StoredMessage } | { refused: Answer } {
  if (!a.channel) return { refused: err('channel_not_found') };
  if (!a.ts) return { refused: err('invalid_arguments') };
  const message = s.find(String(a.channel), String(a.ts));
  if (!message) return { refused: err('message_not_found') };
  if (!streaming.get(message)) return { refused: err('message_not_in_streaming_state') };
  return { message };
}

export function chatAppendStream(a: Args, s: FakeState): Answer {
  const found = activeStream(a, s);
  if ('refused' in found) return found.refused;
  const m = found.message;
  const bad = markdownProblem(a);
  if (bad) return bad;
  if ((m.text ?? '').length + String(a.markdown_text ?? '').length > MARKDOWN_TEXT_LIMIT) return err('msg_too_long');
  m.text = `${m.text ?? ''}${String(a.markdown_text ?? '')}`;
  m.updates += 1;
  return { ok: true, channel: a.channel, ts: m.ts };
}

export function chatStopStream(a: Args, s: FakeState): Answer {
  const found = activeStream(a, s);
  if ('refused' in found) return found.refused;
  const m = found.message;
  if (typeof a.markdown_text === 'string') {
    const bad = markdownProblem(a);
    if (bad) return bad;
    m.text = `${m.text ?? ''}${a.markdown_text}`;
  }
  streaming.set(m, false);
  return { ok: true, channel: a.channel, ts: m.ts, message: { ts: m.ts, text: m.text } };
}

/** Whether a message was made by chat.startStream (streaming or stopped). */
export function isStreamMessage(m: StoredMessage): boolean {
  return streaming.has(m);
}
