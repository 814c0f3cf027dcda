import { atLocal, localTime } from './zoned-time.js';

/**
 * Weekly windows in a time zone (business hours, weekdays, a night shift):
 * the instants they cover, when the next one opens, and "window time" — a
 * clock that only runs inside them, which business-hours escalation uses.
 */

export interface WeeklyWindow {
  /** 0 = Sunday … 6 = Saturday: the days a window opens on. */
  days: number[];
  /** Minutes after local midnight; `to` ≤ `from` runs past midnight (equal: 24 hours). */
  from: number;
  to: number;
}

/** Half-open [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;

/** The window's intervals overlapping [from, to), clipped to it, merged where they touch. */
export function windowIntervals(window: WeeklyWindow, timeZone: string, from: number, to: number): Interval[] {
  if (to <= from) return [];
  const first = localTime(from, timeZone).day - 1; // yesterday's window may run past midnight
  const last = localTime(to, timeZone).day;
  const out: Interval[] = [];
  for (let day = first; day <= last; day++) {
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (!window.days.includes(weekday)) continue;
    const start = atLocal(timeZone, day, window.from).getTime();
    const end = atLocal(timeZone, day, window.to > window.from ? window.to : window.to + 1440).getTime();
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (e <= s) continue;
    const prev = out[out.length - 1];
    if (prev && s <= prev.end) prev.end = Math.max(prev.end, e);
    else out.push({ start: s, end: e });
  }
  return out;
}

/** Whether `at` is inside the window. */
export function inWindow(window: WeeklyWindow, timeZone: string, at: number): boolean {
  return windowIntervals(window, timeZone, at, at + 1).length > 0;
}

/** The interval containing `at` (from `at` on), or the next one to open; undefined when the window never opens. */
export function currentOrNextWindow(window: WeeklyWindow, timeZone: string, at: number): Interval | undefined {
  const horizon = 9 * DAY_MS;
  const first = windowIntervals(window, timeZone, at, at + horizon)[0];
  if (!first) return undefined;
  // The search clipped it; follow it while the next interval starts where this one ends (weekdays all day).
  let end = first.end;
  for (let i = 0; i < 50; i++) {
    const next = windowIntervals(window, timeZone, end, end + horizon)[0];
    if (!next || next.start !== end) break;
    end = next.end;
  }
  return { start: first.start, end };
}

/** Milliseconds of window time between two instants. */
export function windowTimeBetween(window: WeeklyWindow, timeZone: string, from: number, to: number): number {
  return windowIntervals(window, timeZone, from, to).reduce((sum, i) => sum + (i.end - i.start), 0);
}

/**
 * The instant at which `amount` ms of window time have passed since `from`.
 * An amount of 0 outside the window is the next opening (a page at night waits for the morning).
 */
export function addWindowTime(
  window: WeeklyWindow,
  timeZone: string,
  from: number,
  amount: number,
): number | undefined {
  if (window.days.length === 0) return undefined;
  let cursor = from;
  let left = amount;
  for (let guard = 0; guard < 1000; guard++) {
    const chunk = windowIntervals(window, timeZone, cursor, cursor + 8 * DAY_MS);
    for (const i of chunk) {
      if (left <= i.end - i.start) return i.start + left;
      left -= i.end - i.start;
    }
    cursor += 8 * DAY_MS;
  }
  return undefined;
}
