import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import { escapeMrkdwn } from './blocks.js';
import type { Tone } from './reply.js';

/** One of several facts fetched in parallel: either its value or why it could not be fetched. */
export type Part<T> = { ok: true; value: T } | { ok: false; error: string };

/** What one checked part says about the whole: its tone and, when not ok, why (a verdict line's reason). */
export interface Finding {
  tone: Tone;
  reason?: string;
}

const TONE_RANK: Record<Tone, number> = { ok: 0, info: 0, muted: 1, warning: 2, danger: 3 };

export function worstTone(tones: Tone[]): Tone {
  return tones.reduce<Tone>((worst, t) => (TONE_RANK[t] > TONE_RANK[worst] ? t : worst), 'ok');
}

export const TONE_ICON: Record<Tone, string> = {
  ok: ':large_green_circle:',
  info: ':large_blue_circle:',
  muted: ':white_circle:',
  warning: ':large_yellow_circle:',
  danger: ':red_circle:',
};

/** The line shown in place of a part that failed, so the rest of the reply still stands. */
export function failedPartLine(what: string, error: string): string {
  return `:warning: *${escapeMrkdwn(what)}*: could not check — ${escapeMrkdwn(error)}`;
}

/** "3 minutes ago" (date-fns), or "" when there is no date. */
export function ago(at: Date | undefined, now: Date): string {
  return at ? `${formatDistanceStrict(at, now)} ago` : '';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "09:12" in UTC: short enough for event lists. With `now`, a time on another day than now gets its
 * date ("30 Nov 05:18"), so an event from two days ago never reads like one from later today.
 */
export function clock(at: Date | undefined, now?: Date): string {
  if (!at) return '--:--';
  const time = at.toISOString().slice(11, 16);
  if (!now || at.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return time;
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${time}`;
}

/** "2026-11-23 09:12 UTC". */
export function stamp(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The footer every AWS reply ends with: which environment, which region, how long it took, retries. */
export function footer(env: string, region: string | undefined, checkedAt: Date, tookMs: number): string {
  return `env *${env}*${region ? ` · ${region}` : ''} · ${stamp(checkedAt)} · answered in ${(tookMs / 1000).toFixed(1)}s`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
