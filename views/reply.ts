import type { Tone } from '../src/core/reply.js';

export type { Reply, ReplyFile, Tone, Verdict } from '../src/core/reply.js';
export { replyVerdict } from '../src/core/reply.js';

/** Severity colours shown as the bar beside a message (Slack attachment colour). */
export const COLORS: Record<Tone, string> = {
  ok: '#2EB67D',
  warning: '#ECB22E',
  danger: '#E01E5A',
  info: '#1D9BD1',
  muted: '#9E9EA6',
};
