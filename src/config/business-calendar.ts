import { z } from 'zod';
import { DEFAULT_BUSINESS_HOURS, WEEKDAYS } from './oncall-schema.js';
import { atLocal, localTime, parseCivilDay, parseClock } from './zoned-time.js';

/**
 * The business calendar (ops.yml `businessCalendar:`): the working days, hours and holidays that response
 * targets "in business hours" and "next business day" are counted in. Default hours: Monday–Friday
 * 09:00–18:00, SoleMate's daily checklist ("Morning (9 AM)" … "Evening (6 PM)"), the same default as
 * oncall.businessHours; no guide lists holidays, so there are none until the file names them.
 */

const clock = z
  .string()
  .regex(/^(([01]?\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a wall-clock time such as 09:00 (24:00 is the end of a day)');
/** "2026-12-25" (that day) or "12-25" (that day every year). */
const holiday = z
  .string()
  .refine(
    (d) => parseCivilDay(d) !== undefined || (/^\d{2}-\d{2}$/.test(d) && parseCivilDay(`2024-${d}`) !== undefined),
    'expected a date such as 2026-12-24, or 12-25 for every year',
  );

export const businessCalendarSchema = z
  .strictObject({
    /** IANA time zone the hours are in; default: the top-level `timezone`. */
    timezone: z
      .string()
      .refine((tz) => isZone(tz), 'expected an IANA time zone such as Europe/Berlin')
      .optional(),
    days: z.array(z.enum(WEEKDAYS)).min(1).prefault(DEFAULT_BUSINESS_HOURS.days),
    from: clock.prefault(DEFAULT_BUSINESS_HOURS.from),
    to: clock.prefault(DEFAULT_BUSINESS_HOURS.to),
    holidays: z.array(holiday).prefault([]),
  })
  .refine((c) => parseClock(c.from)! < parseClock(c.to)!, {
    message: 'business hours end after they start on the same day (from 09:00 to 18:00)',
    path: ['to'],
  })
  .prefault({});
export type BusinessCalendarConfig = z.output<typeof businessCalendarSchema>;

/** The calendar as the arithmetic reads it: minutes after midnight, weekdays 0 (Sunday) to 6, holidays by civil day. */
export interface BusinessCalendar {
  timeZone: string;
  days: number[];
  from: number;
  to: number;
  /** Civil days (days since 1970-01-01) that are holidays, and "MM-DD" days that are holidays every year. */
  holidays: Set<number>;
  yearly: Set<string>;
}

export function toBusinessCalendar(c: BusinessCalendarConfig, defaultTimeZone: string): BusinessCalendar {
  const holidays = new Set<number>();
  const yearly = new Set<string>();
  for (const h of c.holidays) {
    const day = parseCivilDay(h);
    if (day !== undefined) holidays.add(day);
    else yearly.add(h);
  }
  return {
    timeZone: c.timezone ?? defaultTimeZone,
    days: c.days.map((d) => WEEKDAYS.indexOf(d)),
    from: parseClock(c.from)!,
    to: parseClock(c.to)!,
    holidays,
    yearly,
  };
}

const DAY_MS = 86_400_000;
/** Far enough for any target; a calendar with working days always finds one well within it. */
const HORIZON_DAYS = 3700;

export function isBusinessDay(cal: BusinessCalendar, day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  if (!cal.days.includes(weekday) || cal.holidays.has(day)) return false;
  return !cal.yearly.has(new Date(day * DAY_MS).toISOString().slice(5, 10));
}

/** [start, end) of a business day's hours, as instants (DST-correct: 09:00 is 09:00 on the wall clock). */
function hoursOf(cal: BusinessCalendar, day: number): { start: number; end: number } {
  return { start: atLocal(cal.timeZone, day, cal.from).getTime(), end: atLocal(cal.timeZone, day, cal.to).getTime() };
}

/**
 * The instant at which `amount` ms of business time have passed since `from`: the clock runs only inside
 * the hours of business days. Friday 17:00 + 4 business hours (09:00–18:00) is Monday 12:00; 0 ms outside
 * the hours is the next opening.
 */
export function addBusinessTime(cal: BusinessCalendar, from: Date, amount: number): Date {
  let left = Math.max(0, amount);
  const start = from.getTime();
  const first = localTime(from, cal.timeZone).day;
  for (let day = first; day < first + HORIZON_DAYS; day++) {
    if (!isBusinessDay(cal, day)) continue;
    const hours = hoursOf(cal, day);
    const open = Math.max(hours.start, start);
    if (open >= hours.end) continue;
    if (left <= hours.end - open) return new Date(open + left);
    left -= hours.end - open;
  }
  throw new Error('the business calendar has no working day within ten years');
}

/** "Next business day": the end of the hours of the first business day after the day `from` falls on. */
export function endOfNextBusinessDay(cal: BusinessCalendar, from: Date): Date {
  const today = localTime(from, cal.timeZone).day;
  for (let day = today + 1; day < today + HORIZON_DAYS; day++) {
    if (isBusinessDay(cal, day)) return new Date(hoursOf(cal, day).end);
  }
  throw new Error('the business calendar has no working day within ten years');
}

function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
