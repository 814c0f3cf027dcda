import type { KnownBlock, View } from '@slack/types';

/** How a reply reads at a glance: the colour bar beside it in Slack, the verdict a checklist Run reads. */
export type Tone = 'ok' | 'warning' | 'danger' | 'info' | 'muted';

export interface ReplyFile {
  filename: string;
  title?: string;
  content: string | Buffer;
}

/**
 * What a command or job produces, independent of where it is shown. The Slack
 * layer posts it (blocks inside a coloured attachment when `tone` is set); the
 * terminal prints `blocks` as text.
 */
export interface Reply {
  /** Plain-text summary: notification text and screen-reader fallback. */
  text: string;
  blocks: KnownBlock[];
  tone?: Tone;
  files?: ReplyFile[];
  /** Ephemeral replies are seen only by the person who typed the command. */
  ephemeral?: boolean;
  /** A form to open instead of (Slack) or besides (terminal: text only) the reply. */
  modal?: View;
  /**
   * The command's own judgement of what it checked, for callers that act on it (a checklist's
   * Run ticks its item only on 'good'). Absent: read from `tone` (replyVerdict).
   */
  verdict?: Verdict;
}

export type Verdict = 'good' | 'bad' | 'unknown';

/** A reply's verdict: its own, else its tone (ok is good, warning and danger are bad, the rest unknown). */
export function replyVerdict(reply: Pick<Reply, 'verdict' | 'tone'>): Verdict {
  if (reply.verdict) return reply.verdict;
  if (reply.tone === 'ok') return 'good';
  if (reply.tone === 'warning' || reply.tone === 'danger') return 'bad';
  return 'unknown';
}
