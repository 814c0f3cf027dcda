import { CronExpressionParser } from 'cron-parser';

/** Written in ops.yml as the schedule of a list that is only posted on demand. */
export const ON_DEMAND = new Set(['none', 'on-demand', 'manual']);

const WEEK_WINDOWS: Record<string, number> = { '1-7': 1, '8-14': 2, '15-21': 3, '22-28': 4 };
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export type ScheduleCheck = { ok: true; pattern: string; note?: string } | { ok: false; message: string };

/**
 * Validates a five-field cron pattern and makes "the first Monday of the month"
 * mean what people expect. Classic cron ORs day-of-month and day-of-week, so
 * `0 9 1-7 * 1` fires on days 1–7 *and* on every Monday. A day-of-month week
 * window (1-7, 8-14, 15-21, 22-28) with one weekday is rewritten to cron-parser's
 * `#` form (`0 9 * * 1#1`); any other mix of the two fields is refused.
 */
export function normalizeSchedule(schedule: string): ScheduleCheck {
  const all = schedule.trim().split(/\s+/);
  // Six fields put seconds first (cron-parser's extension; handy for tests and demos).
  const seconds = all.length === 6 ? `${all[0]} ` : '';
  const fields = all.length === 6 ? all.slice(1) : all;
  if (all.length !== 5 && all.length !== 6) {
    return {
      ok: false,
      message: `"${schedule}" is not a 5-field cron pattern (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1-5"; write "none" for a list posted only on demand`,
    };
  }
  const [minute, hour, dom, month, dow] = fields;
  let pattern = seconds + fields.join(' ');
  let note: string | undefined;
  if (dom !== '*' && dom !== '?' && dow !== '*' && dow !== '?') {
    const nth = WEEK_WINDOWS[dom];
    const weekday = dayNumber(dow);
    if (nth === undefined || weekday === undefined) {
      return {
        ok: false,
        message: `"${schedule}" restricts both day-of-month and day-of-week, which cron treats as either/or (it would fire on every matching day of the month and on every matching weekday). For "the first Monday of the month" write "${minute} ${hour} * ${month} 1#1"; for "the last Friday" write "${minute} ${hour} * ${month} 5L"`,
      };
    }
    pattern = `${seconds}${minute} ${hour} * ${month} ${weekday}#${nth}`;
    note = `"${schedule}" is read as "${pattern}" (the ${ordinal(nth)} ${DAY_NAMES[weekday]} of the month)`;
  }
  try {
    CronExpressionParser.parse(pattern, { tz: 'UTC' });
  } catch (err) {
    return { ok: false, message: `"${schedule}" is not a valid cron pattern: ${(err as Error).message}` };
  }
  return { ok: true, pattern, note };
}

function dayNumber(dow: string): number | undefined {
  if (/^[0-7]$/.test(dow)) return Number(dow) % 7;
  const i = DAY_NAMES.indexOf(dow.toLowerCase());
  return i === -1 ? undefined : i;
}

function ordinal(n: number): string {
  return ['first', 'second', 'third', 'fourth'][n - 1] ?? `${n}th`;
}

/** The next `count` run times after `from`, in the given IANA time zone (DST-correct: a skipped hour runs once, a repeated one once). */
export function nextRuns(pattern: string, timezone: string, from: Date, count = 1): Date[] {
  const expression = CronExpressionParser.parse(pattern, { tz: timezone, currentDate: from });
  const out: Date[] = [];
  for (let i = 0; i < count && expression.hasNext(); i++) out.push(expression.next().toDate());
  return out;
}

/** The latest run time at or before `at`: the slot a scheduled post belongs to, so each slot posts once. */
export function slotFor(pattern: string, timezone: string, at: Date): Date | undefined {
  // A second later, so a job that fires exactly on its slot finds that slot and not the one before.
  const expression = CronExpressionParser.parse(pattern, { tz: timezone, currentDate: new Date(at.getTime() + 1000) });
  return expression.hasPrev() ? expression.prev().toDate() : undefined;
}

/** "Mon 1 Jun 09:00" in the configured time zone. */
export function formatInZone(date: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('hour')}:${get('minute')}`;
}

/** The wall-clock hour and minute of a date in a time zone, "09:00": what tests and people check across DST. */
export function wallClock(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}
