import { describe, expect, it } from 'vitest';
import { checkOverride, planSwap } from '../../src/oncall/overrides.js';
import { whoIsOnCall, type Schedule } from '../../src/oncall/rotation.js';
import { parseCivilDay } from '../../src/oncall/zoned-time.js';

const at = (iso: string) => new Date(iso);
const platform: Schedule = {
  name: 'platform',
  timeZone: 'Europe/Berlin',
  layers: [
    {
      name: 'primary',
      members: ['UALICE', 'UBOB', 'UCAROL'],
      shiftDays: 7,
      handoff: 540,
      startDay: parseCivilDay('2026-01-05')!,
    },
  ],
};
const now = at('2026-12-01T10:00:00Z');
const christmas = {
  id: '7',
  layer: 'primary',
  userId: 'UDAVE',
  start: at('2026-12-24T08:00:00Z'),
  end: at('2026-12-27T08:00:00Z'),
};

describe('override checks', () => {
  it('accepts an override that touches another end to end', () => {
    const next = { layer: 'primary', userId: 'UERIN', start: christmas.end, end: at('2026-12-28T08:00:00Z') };
    expect(checkOverride(platform, [christmas], next, now)).toEqual({ ok: true });
  });

  it('refuses an overlap on the same layer and says with what', () => {
    const clash = {
      layer: 'primary',
      userId: 'UERIN',
      start: at('2026-12-26T08:00:00Z'),
      end: at('2026-12-28T08:00:00Z'),
    };
    const check = checkOverride(platform, [christmas], clash, now);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.reason).toContain('override 7');
      expect(check.reason).toContain('<@UDAVE>');
      expect(check.reason).toContain('Thu 24 Dec 09:00');
    }
  });

  it('refuses unknown layers, backwards ranges and overrides already over', () => {
    const base = { userId: 'UERIN', start: at('2026-12-02T08:00:00Z'), end: at('2026-12-03T08:00:00Z') };
    expect(checkOverride(platform, [], { ...base, layer: 'tertiary' }, now)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('layers: primary'),
    });
    expect(checkOverride(platform, [], { ...base, layer: 'primary', end: base.start }, now)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('end after'),
    });
    expect(checkOverride(platform, [], { ...base, layer: 'primary' }, at('2026-12-05T00:00:00Z'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('past'),
    });
  });
});

describe('swaps', () => {
  it("become two overrides: each takes the other one's next shift", () => {
    const when = at('2026-01-06T12:00:00Z'); // alice's week (5–12 Jan), bob's is 12–19 Jan
    const result = planSwap(platform, [], { layer: 'primary', requester: 'UALICE', other: 'UBOB', at: when });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.give).toEqual({
      layer: 'primary',
      userId: 'UBOB',
      start: when,
      end: at('2026-01-12T08:00:00Z'),
    });
    expect(result.plan.take).toEqual({
      layer: 'primary',
      userId: 'UALICE',
      start: at('2026-01-12T08:00:00Z'),
      end: at('2026-01-19T08:00:00Z'),
    });
    const overrides = [result.plan.give, result.plan.take];
    expect(whoIsOnCall(platform, at('2026-01-07T12:00:00Z'), overrides)[0].userId).toBe('UBOB');
    expect(whoIsOnCall(platform, at('2026-01-14T12:00:00Z'), overrides)[0].userId).toBe('UALICE');
  });

  it('is refused when a shift is already covered by an override, or someone has no shift', () => {
    const cover = {
      id: '3',
      layer: 'primary',
      userId: 'UDAVE',
      start: at('2026-01-13T08:00:00Z'),
      end: at('2026-01-14T08:00:00Z'),
    };
    const clash = planSwap(platform, [cover], {
      layer: 'primary',
      requester: 'UALICE',
      other: 'UBOB',
      at: at('2026-01-06T12:00:00Z'),
    });
    expect(clash).toMatchObject({ ok: false, reason: expect.stringContaining('override 3') });
    const stranger = planSwap(platform, [], {
      layer: 'primary',
      requester: 'UALICE',
      other: 'UZED',
      at: at('2026-01-06T12:00:00Z'),
    });
    expect(stranger).toMatchObject({ ok: false, reason: expect.stringContaining('<@UZED> has no shift') });
    expect(planSwap(platform, [], { layer: 'primary', requester: 'UALICE', other: 'UALICE', at: now })).toMatchObject({
      ok: false,
    });
  });
});
