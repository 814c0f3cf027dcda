import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import {
  addBusinessTime,
  businessCalendarSchema,
  endOfNextBusinessDay,
  toBusinessCalendar,
} from '../../src/config/business-calendar.js';
import { describeResponseTarget, responseDue, responseTarget } from '../../src/config/response-targets.js';
import { wallClock, formatInZone } from '../../src/config/schedule.js';

const BERLIN = 'Europe/Berlin';
const calendar = (given: Record<string, unknown> = {}, tz = BERLIN) =>
  toBusinessCalendar(businessCalendarSchema.parse(given), tz);
const local = (d: Date, tz = BERLIN) => formatInZone(d, tz);
const H = 3_600_000;

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, {});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('business time (response targets in business hours)', () => {
  it('Friday evening: 4 business hours and the next business day land on Monday', () => {
    const cal = calendar(); // Mon–Fri 09:00–18:00
    const fridayEvening = new Date('2026-12-04T19:00:00Z'); // Fri 20:00 in Berlin
    expect(local(addBusinessTime(cal, fridayEvening, 4 * H))).toBe('Mon 7 Dec 13:00');
    expect(local(endOfNextBusinessDay(cal, fridayEvening))).toBe('Mon 7 Dec 18:00');
    // One hour left on Friday, three on Monday.
    expect(local(addBusinessTime(cal, new Date('2026-12-04T16:00:00Z'), 4 * H))).toBe('Mon 7 Dec 12:00');
    // SoleMate's P4: 24 hours of business time is Monday, Tuesday and 6 hours of Wednesday.
    expect(local(addBusinessTime(cal, fridayEvening, 24 * H))).toBe('Wed 9 Dec 15:00');
    // Nothing is due at night: 0 ms on a Saturday is Monday's opening.
    expect(local(addBusinessTime(cal, new Date('2026-12-05T10:00:00Z'), 0))).toBe('Mon 7 Dec 09:00');
    // Inside the hours the clock simply runs, and the next business day of a Tuesday is Wednesday.
    const tuesday = new Date('2026-12-08T09:00:00Z'); // 10:00
    expect(local(addBusinessTime(cal, tuesday, 2 * H))).toBe('Tue 8 Dec 12:00');
    expect(local(endOfNextBusinessDay(cal, tuesday))).toBe('Wed 9 Dec 18:00');
  });

  it('skips holidays: dated ones and yearly ones', () => {
    const cal = calendar({ holidays: ['2026-12-24', '12-25', '01-01'] });
    const wednesday = new Date('2026-12-23T15:00:00Z'); // Wed 16:00
    // Two hours on Wednesday, then Thu 24 (dated), Fri 25 (every year) and the weekend are skipped.
    expect(local(addBusinessTime(cal, wednesday, 4 * H))).toBe('Mon 28 Dec 11:00');
    expect(local(endOfNextBusinessDay(cal, wednesday))).toBe('Mon 28 Dec 18:00');
    // The yearly holiday holds in another year too: Thu 31 Dec 2026 → Fri 1 Jan 2027 is skipped.
    expect(local(endOfNextBusinessDay(cal, new Date('2026-12-31T10:00:00Z')))).toBe('Mon 4 Jan 18:00');
  });

  it('counts wall-clock business hours across both DST changes', () => {
    const cal = calendar();
    // Spring forward (Sun 29 Mar 2026): Fri 16:00 CET + 4 business hours = Mon 11:00 CEST: 67 hours on the
    // wall clock, 66 real ones.
    const spring = new Date('2026-03-27T15:00:00Z');
    const due = addBusinessTime(cal, spring, 4 * H);
    expect(local(due)).toBe('Mon 30 Mar 11:00');
    expect(due.toISOString()).toBe('2026-03-30T09:00:00.000Z');
    expect(due.getTime() - spring.getTime()).toBe(66 * H);
    // Fall back (Sun 25 Oct 2026): the next business day after Fri 17:00 CEST ends Mon 18:00 CET (17:00Z).
    expect(endOfNextBusinessDay(cal, new Date('2026-10-23T15:00:00Z')).toISOString()).toBe('2026-10-26T17:00:00.000Z');
    // Business hours that contain the change: a 24/7 calendar counts the 23-hour Sunday as 23 hours.
    const always = calendar({ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '00:00', to: '24:00' });
    const saturdayNoon = new Date('2026-03-28T11:00:00Z');
    const later = addBusinessTime(always, saturdayNoon, 24 * H);
    expect(later.getTime() - saturdayNoon.getTime()).toBe(24 * H);
    expect(wallClock(later, BERLIN)).toBe('13:00');
  });

  it('the calendar has its own time zone, else the top-level one', () => {
    const ny = calendar({ timezone: 'America/New_York' });
    expect(ny.timeZone).toBe('America/New_York');
    // Fri 17:30 in New York + 1 business hour = Mon 09:30 New York.
    const due = addBusinessTime(ny, new Date('2026-12-04T22:30:00Z'), H);
    expect(local(due, 'America/New_York')).toBe('Mon 7 Dec 09:30');
    expect(calendar({}, 'Asia/Tokyo').timeZone).toBe('Asia/Tokyo');
  });
});

describe('incident response targets from ops.yml', () => {
  const base = 'environments:\n  prod: {}\ntimezone: Europe/Berlin\n';

  it('defaults: ESN for P0–P3 (P3 next business day), SoleMate for P4 (24 business hours)', () => {
    const { config } = parseConfig(base, {});
    const s = config.incidents.severities;
    expect(s.P3).toMatchObject({ respondWithin: 'next-business-day', businessHours: true, guide: 'ESN' });
    expect(s.P4).toMatchObject({ respondWithin: 24 * H, businessHours: true, guide: 'SoleMate' });
    expect(s.P0).toMatchObject({ respondWithin: 15 * 60_000, businessHours: false, guide: 'ESN' });
    expect(['P0', 'P2', 'P3', 'P4'].map((l) => describeResponseTarget(s[l as 'P0']))).toEqual([
      '15m',
      '4h',
      'next business day',
      '24 business hours',
    ]);
    const fridayEvening = new Date('2026-12-04T19:00:00Z');
    // P0 is wall clock: 15 minutes later, whatever the day.
    expect(responseTarget(config, 'P0', fridayEvening).dueAt.toISOString()).toBe('2026-12-04T19:15:00.000Z');
    expect(local(responseTarget(config, 'P3', fridayEvening).dueAt)).toBe('Mon 7 Dec 18:00');
  });

  it('a configured calendar and SoleMate-style targets move the due time', () => {
    const { config } = parseConfig(
      `${base}businessCalendar: { from: "08:00", to: "16:00", holidays: ["2026-12-07"] }
incidents:
  severities:
    P3: { respondWithin: 4h, businessHours: true }
    P2: { respondWithin: 1h }
`,
      {},
    );
    const s = config.incidents.severities;
    expect(s.P3).toMatchObject({ respondWithin: 4 * H, businessHours: true, guide: 'ops.yml' });
    expect(s.P2).toMatchObject({ respondWithin: H, businessHours: false, guide: 'ops.yml' });
    const cal = toBusinessCalendar(config.businessCalendar, config.timezone);
    // Fri 15:00 → one hour on Friday, Monday is a holiday, three hours on Tuesday from 08:00.
    expect(local(responseDue(s.P3, cal, new Date('2026-12-04T14:00:00Z')))).toBe('Tue 8 Dec 11:00');
  });

  it('refuses calendars that cannot be counted in, saying what to write', () => {
    expect(problems(`${base}businessCalendar: { holidays: ["25.12."] }`).join('\n')).toMatch(
      /businessCalendar\.holidays\[0\]: expected a date such as 2026-12-24, or 12-25 for every year/,
    );
    expect(problems(`${base}businessCalendar: { from: "18:00", to: "09:00" }`).join('\n')).toMatch(
      /businessCalendar\.to: business hours end after they start/,
    );
    expect(problems(`${base}businessCalendar: { days: [] }`).join('\n')).toMatch(/businessCalendar\.days/);
    expect(problems(`${base}incidents: { severities: { P3: { respondWithin: next-week } } }`).join('\n')).toMatch(
      /incidents\.severities\.P3\.respondWithin/,
    );
  });
});
