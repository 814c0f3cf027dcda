import { describe, expect, it } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import { differenceInMinutes } from 'date-fns';
import { formatInZone, nextRuns, normalizeSchedule, slotFor, wallClock } from '../../src/config/schedule.js';

const BERLIN = 'Europe/Berlin';
const localDate = (d: Date, tz: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

describe('checklist schedules across daylight-saving changes (Europe/Berlin)', () => {
  it('keeps 09:00 local on both sides of the spring change (2026-03-29): the UTC time moves, the gap is 23 h', () => {
    const runs = nextRuns('0 9 * * *', BERLIN, new Date('2026-03-27T12:00:00Z'), 3);
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    expect(runs.map((d) => wallClock(d, BERLIN))).toEqual(['09:00', '09:00', '09:00']);
    expect(differenceInMinutes(runs[1], runs[0])).toBe(23 * 60);
  });

  it('keeps 09:00 local on both sides of the autumn change (2026-10-25): the gap is 25 h', () => {
    const runs = nextRuns('0 9 * * *', BERLIN, new Date('2026-10-23T12:00:00Z'), 3);
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ]);
    expect(runs.map((d) => wallClock(d, BERLIN))).toEqual(['09:00', '09:00', '09:00']);
    expect(differenceInMinutes(runs[1], runs[0])).toBe(25 * 60);
  });

  it('posts a 02:30 list exactly once on the spring day, although 02:30 does not exist then', () => {
    const runs = nextRuns('30 2 * * *', BERLIN, new Date('2026-03-27T12:00:00Z'), 4);
    const perDay = runs.map((d) => localDate(d, BERLIN));
    expect(perDay).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
    expect(runs[1].toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST, right after the jump
  });

  it('posts a 02:30 list exactly once on the autumn day, although 02:30 happens twice', () => {
    const runs = nextRuns('30 2 * * *', BERLIN, new Date('2026-10-23T12:00:00Z'), 4);
    expect(runs.map((d) => localDate(d, BERLIN))).toEqual(['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27']);
    expect(runs.map((d) => wallClock(d, BERLIN))).toEqual(['02:30', '02:30', '02:30', '02:30']);
  });

  it('finds the slot a firing job belongs to, so a late or duplicate job claims the same slot', () => {
    const slot = new Date('2026-03-29T07:00:00Z');
    expect(slotFor('0 9 * * *', BERLIN, slot)?.toISOString()).toBe(slot.toISOString());
    expect(slotFor('0 9 * * *', BERLIN, new Date('2026-03-29T07:00:40Z'))?.toISOString()).toBe(slot.toISOString());
    expect(slotFor('0 9 * * *', BERLIN, new Date('2026-03-29T06:59:00Z'))?.toISOString()).toBe(
      '2026-03-28T08:00:00.000Z',
    );
  });

  it('formats times in the configured zone', () => {
    expect(formatInZone(new Date('2026-10-25T08:00:00Z'), BERLIN)).toBe('Sun 25 Oct 09:00');
  });
});

describe('"first Monday of the month" schedules', () => {
  it('shows why: classic cron ORs day-of-month and day-of-week, so 1-7 + Monday fires on non-Mondays too', () => {
    const raw = CronExpressionParser.parse('0 9 1-7 * 1', { tz: 'UTC', currentDate: new Date('2026-06-01T00:00:00Z') });
    const days = [0, 1, 2].map(() => raw.next().toDate().getUTCDay());
    expect(days).not.toEqual([1, 1, 1]);
  });

  it('rewrites a week window with one weekday to the # form and says so', () => {
    const check = normalizeSchedule('0 9 1-7 * 1');
    expect(check).toMatchObject({ ok: true, pattern: '0 9 * * 1#1' });
    expect(check.ok && check.note).toContain('first mon');
    expect(normalizeSchedule('0 9 15-21 * fri')).toMatchObject({ ok: true, pattern: '0 9 * * 5#3' });
    const runs = nextRuns('0 9 * * 1#1', BERLIN, new Date('2026-01-01T00:00:00Z'), 6);
    for (const run of runs) {
      const day = Number(localDate(run, BERLIN).slice(8));
      expect(new Date(run).getUTCDay()).toBe(1);
      expect(day).toBeLessThanOrEqual(7);
      expect(wallClock(run, BERLIN)).toBe('09:00');
    }
    // The first Monday of April 2026 (6 April) is after the spring change: still 09:00 local.
    expect(runs.map((d) => localDate(d, BERLIN))).toContain('2026-04-06');
  });

  it('refuses other mixes of day-of-month and day-of-week, naming the # form', () => {
    const check = normalizeSchedule('0 9 1,15 * 1');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toContain('1#1');
  });

  it('rejects patterns that are not cron, and accepts a seconds field', () => {
    expect(normalizeSchedule('every morning').ok).toBe(false);
    expect(normalizeSchedule('0 61 * * *').ok).toBe(false);
    expect(normalizeSchedule('5 0 9 * * 1-5')).toMatchObject({ ok: true, pattern: '5 0 9 * * 1-5' });
  });
});
