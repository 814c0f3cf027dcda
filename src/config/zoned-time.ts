import { formatInZone } from './schedule.js';
/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl (no tz
 * library is installed). Local dates are "civil days": whole days since
 * 1970-01-01 on the calendar, so adding 7 is always "the same weekday next
 * week", whatever DST does in between; an instant is only made from a civil
 * day and a wall-clock time at the very end.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  /** Days since 1970-01-01 on the local calendar. */
  day: number;
  /** Minutes since local midnight, 0–1439. */
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** The wall clock in `timeZone` at `instant`, as if it were UTC (milliseconds). */
function wallAsUtc(instant: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** The zone's offset from UTC at `instant`, in milliseconds (Berlin in summer: +7_200_000). */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallAsUtc(whole, timeZone) - whole;
}

export function localTime(instant: Date | number, timeZone: string): LocalTime {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const wall = t + offsetAt(t, timeZone);
  const day = Math.floor(wall / DAY_MS);
  return { day, minute: Math.floor((wall - day * DAY_MS) / 60_000), weekday: weekdayOf(day) };
}

export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** "2026-03-29" → its civil day; undefined when not a real date (2026-02-29). */
export function parseCivilDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
  return ms / DAY_MS;
}

export function formatCivilDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "09:30" → 570; "24:00" → 1440 (the end of a day); undefined when malformed. */
export function parseClock(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 1440 ? minutes : undefined;
}

/**
 * The instant the wall clock in `timeZone` shows `minute` on civil `day`.
 * A time skipped by DST (02:30 on the spring-forward night) moves forward by
 * the gap, as clocks do; a time that happens twice (autumn) is the first one.
 */
export function atLocal(timeZone: string, day: number, minute: number): Date {
  const nominal = day * DAY_MS + minute * 60_000;
  // Offsets 14 hours either side are on both sides of any transition near this time.
  const before = offsetAt(nominal - 14 * 3_600_000, timeZone);
  const after = offsetAt(nominal + 14 * 3_600_000, timeZone);
  const valid = [...new Set([nominal - before, nominal - after])]
    .filter((t) => t + offsetAt(t, timeZone) === nominal)
    .sort((a, b) => a - b);
  return new Date(valid[0] ?? nominal - before);
}

/** "Thu 24 Dec 09:00" in the zone: how shifts are shown to people (the same format checklists use). */
export function formatLocal(instant: Date, timeZone: string): string {
  return formatInZone(instant, timeZone);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}
