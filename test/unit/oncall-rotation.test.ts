import { describe, expect, it } from 'vitest';
import {
  nextHandoffs,
  scheduleTimeline,
  whoIsOnCall,
  type RotationLayer,
  type Schedule,
} from '../../src/oncall/rotation.js';
import { parseCivilDay } from '../../src/oncall/zoned-time.js';
import { wallClock } from '../../src/config/schedule.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);
const layer = (name: string, members: string[], extra: Partial<RotationLayer> = {}): RotationLayer => ({
  name,
  members,
  shiftDays: 7,
  handoff: 9 * 60,
  startDay: parseCivilDay('2026-01-05')!, // a Monday
  ...extra,
});
const schedule = (layers: RotationLayer[], timeZone = BERLIN): Schedule => ({ name: 'platform', timeZone, layers });

const platform = schedule([
  layer('primary', ['UALICE', 'UBOB', 'UCAROL']),
  layer('secondary', ['UBOB', 'UCAROL', 'UALICE']),
]);

describe('weekly rotation with layers', () => {
  it('names who is on call in each layer, since and until the Monday 09:00 handoffs', () => {
    const now = whoIsOnCall(platform, at('2026-01-07T12:00:00Z'));
    expect(now).toEqual([
      expect.objectContaining({
        layer: 'primary',
        userId: 'UALICE',
        since: at('2026-01-05T08:00:00Z'),
        until: at('2026-01-12T08:00:00Z'),
        source: 'rotation',
      }),
      expect.objectContaining({ layer: 'secondary', userId: 'UBOB', until: at('2026-01-12T08:00:00Z') }),
    ]);
  });

  it('takes turns in order, wrapping round, and continues backwards before the start date', () => {
    expect(whoIsOnCall(platform, at('2026-01-20T12:00:00Z'))[0].userId).toBe('UCAROL');
    expect(whoIsOnCall(platform, at('2026-01-27T12:00:00Z'))[0].userId).toBe('UALICE');
    expect(whoIsOnCall(platform, at('2026-01-02T12:00:00Z'))[0].userId).toBe('UCAROL');
  });

  it('a handoff instant belongs to the incoming person', () => {
    expect(whoIsOnCall(platform, at('2026-01-12T08:00:00Z'))[0].userId).toBe('UBOB');
    expect(whoIsOnCall(platform, at('2026-01-12T07:59:59Z'))[0].userId).toBe('UALICE');
  });

  it('lists the next four handoffs across layers in time order', () => {
    const next = nextHandoffs(platform, at('2026-01-07T12:00:00Z'), 4);
    expect(next.map((h) => [h.at.toISOString(), h.layer, h.from, h.to])).toEqual([
      ['2026-01-12T08:00:00.000Z', 'primary', 'UALICE', 'UBOB'],
      ['2026-01-12T08:00:00.000Z', 'secondary', 'UBOB', 'UCAROL'],
      ['2026-01-19T08:00:00.000Z', 'primary', 'UBOB', 'UCAROL'],
      ['2026-01-19T08:00:00.000Z', 'secondary', 'UCAROL', 'UALICE'],
    ]);
    expect(nextHandoffs(platform, at('2026-01-07T12:00:00Z'), 2, [], 'secondary').map((h) => h.to)).toEqual([
      'UCAROL',
      'UALICE',
    ]);
  });

  it('a one-person layer has no end and no handoffs', () => {
    const solo = schedule([layer('escalation', ['UVP'])]);
    expect(whoIsOnCall(solo, at('2026-06-01T00:00:00Z'))[0]).toMatchObject({ userId: 'UVP', until: undefined });
    expect(nextHandoffs(solo, at('2026-06-01T00:00:00Z'), 4)).toEqual([]);
  });
});

describe('daylight saving time (Europe/Berlin)', () => {
  it('spring forward: the shift spanning 29 March 2026 is 167 hours and both handoffs are at 09:00 local', () => {
    const now = whoIsOnCall(platform, at('2026-03-26T12:00:00Z'))[0];
    expect(now.since).toEqual(at('2026-03-23T08:00:00Z')); // 09:00 CET
    expect(now.until).toEqual(at('2026-03-30T07:00:00Z')); // 09:00 CEST
    expect((now.until!.getTime() - now.since.getTime()) / 3_600_000).toBe(167);
    expect(wallClock(now.until!, BERLIN)).toBe('09:00');
  });

  it('fall back: the shift spanning 25 October 2026 is 169 hours', () => {
    const now = whoIsOnCall(platform, at('2026-10-22T12:00:00Z'))[0];
    expect(now.since).toEqual(at('2026-10-19T07:00:00Z'));
    expect(now.until).toEqual(at('2026-10-26T08:00:00Z'));
    expect((now.until!.getTime() - now.since.getTime()) / 3_600_000).toBe(169);
  });

  it('a daily handoff at 02:30 moves to 03:30 on the night that skips it and is the first 02:30 on the night that repeats it', () => {
    const nightly = schedule([layer('primary', ['UALICE', 'UBOB'], { shiftDays: 1, handoff: 150 })]);
    const spring = nextHandoffs(nightly, at('2026-03-28T12:00:00Z'), 2).map((h) => h.at.toISOString());
    expect(spring).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
    const autumn = nextHandoffs(nightly, at('2026-10-24T12:00:00Z'), 2).map((h) => h.at.toISOString());
    expect(autumn).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('the daily shift over the spring change is 23 hours, over the autumn change 25', () => {
    const daily = schedule([layer('primary', ['UALICE', 'UBOB'], { shiftDays: 1 })]);
    const spring = whoIsOnCall(daily, at('2026-03-29T12:00:00Z'))[0];
    expect((spring.until!.getTime() - spring.since.getTime()) / 3_600_000).toBe(24);
    const overNight = whoIsOnCall(daily, at('2026-03-28T20:00:00Z'))[0];
    expect((overNight.until!.getTime() - overNight.since.getTime()) / 3_600_000).toBe(23);
    const autumn = whoIsOnCall(daily, at('2026-10-24T20:00:00Z'))[0];
    expect((autumn.until!.getTime() - autumn.since.getTime()) / 3_600_000).toBe(25);
  });
});

describe('month ends and leap days', () => {
  it('a daily rotation runs through 29 February 2028', () => {
    const daily = schedule(
      [layer('primary', ['UALICE', 'UBOB'], { shiftDays: 1, startDay: parseCivilDay('2028-02-27')! })],
      'UTC',
    );
    const who = (iso: string) => whoIsOnCall(daily, at(iso))[0].userId;
    expect([
      who('2028-02-27T12:00:00Z'),
      who('2028-02-28T12:00:00Z'),
      who('2028-02-29T12:00:00Z'),
      who('2028-03-01T12:00:00Z'),
    ]).toEqual(['UALICE', 'UBOB', 'UALICE', 'UBOB']);
    expect(whoIsOnCall(daily, at('2028-02-29T12:00:00Z'))[0].until).toEqual(at('2028-03-01T09:00:00Z'));
  });

  it('every 3 days counts calendar days across short and long months', () => {
    const every3 = schedule(
      [layer('primary', ['UALICE', 'UBOB'], { shiftDays: 3, startDay: parseCivilDay('2028-02-26')! })],
      'UTC',
    );
    const days = nextHandoffs(every3, at('2028-02-26T10:00:00Z'), 4).map((h) => h.at.toISOString().slice(0, 10));
    expect(days).toEqual(['2028-02-29', '2028-03-03', '2028-03-06', '2028-03-09']);
    const overMonthEnd = schedule([
      layer('primary', ['UALICE', 'UBOB'], { shiftDays: 3, startDay: parseCivilDay('2026-01-29')! }),
    ]);
    const jan = nextHandoffs(overMonthEnd, at('2026-01-29T12:00:00Z'), 2).map((h) => h.at.toISOString());
    expect(jan).toEqual(['2026-02-01T08:00:00.000Z', '2026-02-04T08:00:00.000Z']);
  });

  it('weekly handoffs keep their weekday over the end of a 31-day month', () => {
    const next = nextHandoffs(platform, at('2026-03-28T12:00:00Z'), 2, [], 'primary').map((h) => h.at.toISOString());
    expect(next).toEqual(['2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z']);
  });
});

describe('restrictions', () => {
  const hours = { days: [1, 2, 3, 4, 5], from: 9 * 60, to: 18 * 60 };
  const office = schedule([layer('primary', ['UALICE', 'UBOB'], { restriction: hours })]);

  it('has nobody outside its window and says when it resumes, and with whom', () => {
    const saturday = whoIsOnCall(office, at('2026-01-10T12:00:00Z'))[0];
    expect(saturday).toMatchObject({
      userId: undefined,
      source: 'restricted',
      resumesAt: at('2026-01-12T08:00:00Z'),
      resumesWith: 'UBOB',
    });
    const night = whoIsOnCall(office, at('2026-01-06T22:00:00Z'))[0];
    expect(night).toMatchObject({ userId: undefined, resumesAt: at('2026-01-07T08:00:00Z'), resumesWith: 'UALICE' });
  });

  it('a person is on call until the window closes', () => {
    const friday = whoIsOnCall(office, at('2026-01-09T15:00:00Z'))[0];
    expect(friday).toMatchObject({
      userId: 'UALICE',
      since: at('2026-01-09T08:00:00Z'),
      until: at('2026-01-09T17:00:00Z'),
    });
  });

  it('daily gaps are not handoffs; the change of person is', () => {
    const next = nextHandoffs(office, at('2026-01-06T12:00:00Z'), 1);
    expect(next).toEqual([{ at: at('2026-01-12T08:00:00Z'), layer: 'primary', from: 'UALICE', to: 'UBOB' }]);
  });

  it('a night window runs past midnight', () => {
    const nights = schedule([
      layer('primary', ['UALICE'], { restriction: { days: [0, 1, 2, 3, 4, 5, 6], from: 18 * 60, to: 9 * 60 } }),
    ]);
    expect(whoIsOnCall(nights, at('2026-01-07T02:00:00Z'))[0]).toMatchObject({
      userId: 'UALICE',
      until: at('2026-01-07T08:00:00Z'),
    });
    expect(whoIsOnCall(nights, at('2026-01-07T12:00:00Z'))[0]).toMatchObject({
      userId: undefined,
      resumesAt: at('2026-01-07T17:00:00Z'),
    });
  });
});

describe('overrides', () => {
  const christmas = {
    id: '7',
    layer: 'primary',
    userId: 'UDAVE',
    start: at('2026-12-24T08:00:00Z'),
    end: at('2026-12-27T08:00:00Z'),
  };

  it('win over the rotation for their stretch, on their layer only', () => {
    const now = whoIsOnCall(platform, at('2026-12-25T12:00:00Z'), [christmas]);
    expect(now[0]).toMatchObject({
      userId: 'UDAVE',
      source: 'override',
      overrideId: '7',
      since: christmas.start,
      until: christmas.end,
    });
    expect(now[1].source).toBe('rotation');
    const after = whoIsOnCall(platform, at('2026-12-27T09:00:00Z'), [christmas])[0];
    expect(after.source).toBe('rotation');
  });

  it('show up as handoffs to and from the covering person', () => {
    const next = nextHandoffs(platform, at('2026-12-23T12:00:00Z'), 2, [christmas], 'primary');
    expect(next.map((h) => [h.at.toISOString(), h.to])).toEqual([
      ['2026-12-24T08:00:00.000Z', 'UDAVE'],
      ['2026-12-27T08:00:00.000Z', whoIsOnCall(platform, at('2026-12-27T09:00:00Z'))[0].userId],
    ]);
  });

  it('change who, not when, on a restricted layer', () => {
    const office = schedule([
      layer('primary', ['UALICE', 'UBOB'], { restriction: { days: [1, 2, 3, 4, 5], from: 540, to: 1080 } }),
    ]);
    const cover = {
      layer: 'primary',
      userId: 'UDAVE',
      start: at('2026-01-06T00:00:00Z'),
      end: at('2026-01-08T00:00:00Z'),
    };
    expect(whoIsOnCall(office, at('2026-01-06T12:00:00Z'), [cover])[0].userId).toBe('UDAVE');
    expect(whoIsOnCall(office, at('2026-01-06T20:00:00Z'), [cover])[0].userId).toBeUndefined();
  });

  it('the timeline for a picture has bars per layer with the covering person inside', () => {
    const rows = scheduleTimeline(platform, at('2026-12-21T08:00:00Z'), at('2026-12-28T08:00:00Z'), [christmas]);
    expect(rows[0].segments.map((s) => [s.userId, s.source])).toEqual([
      [whoIsOnCall(platform, at('2026-12-22T00:00:00Z'))[0].userId, 'rotation'],
      ['UDAVE', 'override'],
      [whoIsOnCall(platform, at('2026-12-22T00:00:00Z'))[0].userId, 'rotation'],
    ]);
    expect(rows[1].segments).toHaveLength(1);
  });
});
