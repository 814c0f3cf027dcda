import { describe, expect, it } from 'vitest';
import { escalate, firingAt, plannedFirings, recipients, type EscalationPolicy } from '../../src/oncall/escalation.js';
import { oncallSchema } from '../../src/config/oncall-schema.js';
import type { Schedule } from '../../src/oncall/rotation.js';
import { parseCivilDay } from '../../src/oncall/zoned-time.js';

const at = (iso: string) => new Date(iso);
const MIN = 60_000;
const BERLIN = 'Europe/Berlin';
const clock = { timeZone: BERLIN, businessHours: { days: [1, 2, 3, 4, 5], from: 540, to: 1080 } };
const startDay = parseCivilDay('2026-01-05')!;
const schedule: Schedule = {
  name: 'platform',
  timeZone: BERLIN,
  layers: [
    { name: 'primary', members: ['UALICE', 'UBOB'], shiftDays: 7, handoff: 540, startDay },
    { name: 'secondary', members: ['UBOB', 'UALICE'], shiftDays: 7, handoff: 540, startDay },
    { name: 'escalation', members: ['UVP'], shiftDays: 7, handoff: 540, startDay, restriction: clock.businessHours },
  ],
};
const defaults = oncallSchema.parse({
  schedules: { platform: { layers: { primary: { members: ['UALICE'] } } } },
}).policies;
const p1: EscalationPolicy = defaults.P1;
const started = at('2026-01-07T10:00:00Z'); // Wednesday 11:00 in Berlin
const minutesAfter = (m: number) => new Date(started.getTime() + m * MIN);
const decide = (policy: EscalationPolicy, fired: number, now: Date, startedAt = started) =>
  escalate({ policy, clock, startedAt, fired, now, schedule });

describe('the default P1 chain, time given by the test', () => {
  it('pages primary at once, secondary at 5 min, escalation at 15 min', () => {
    const first = decide(p1, 0, started);
    expect(first.due?.firing).toMatchObject({ seq: 0, step: 0, pass: 0 });
    expect(first.due?.recipients.users).toEqual(['UALICE']);
    expect(first.next?.at).toEqual(minutesAfter(5));

    expect(decide(p1, 1, minutesAfter(4)).due).toBeUndefined();
    const second = decide(p1, 1, minutesAfter(5));
    expect(second.due?.recipients.via).toEqual([{ target: 'secondary', users: ['UBOB'] }]);
    expect(second.next?.at).toEqual(minutesAfter(15));

    const third = decide(p1, 2, minutesAfter(15));
    expect(third.due?.recipients.users).toEqual(['UVP']);
    expect(third.next).toMatchObject({ seq: 3, pass: 1, step: 0, at: minutesAfter(30) });
  });

  it('repeats until acknowledged: every pass starts again with primary, 15 min after the last step', () => {
    const times = plannedFirings(p1, clock, started, 7).map((f) => (f.at.getTime() - started.getTime()) / MIN);
    expect(times).toEqual([0, 5, 15, 30, 35, 45, 60]);
    expect(firingAt(p1, clock, started, 1000)).toBeDefined();
    expect(decide(p1, 3, minutesAfter(30)).due?.recipients.users).toEqual(['UALICE']);
  });

  it('a timer that fires late sends only the latest due step and says which it passed over', () => {
    const late = decide(p1, 1, minutesAfter(16));
    expect(late.due?.firing.step).toBe(2);
    expect(late.skipped.map((f) => f.step)).toEqual([1]);
  });
});

describe('repeat counts', () => {
  const twice: EscalationPolicy = {
    steps: [
      { notify: ['primary'], after: 0 },
      { notify: ['secondary'], after: 10 * MIN },
    ],
    repeat: 1,
    repeatAfter: 5 * MIN,
    businessHoursOnly: false,
  };

  it('repeat: 1 runs the chain twice, then is exhausted', () => {
    expect(
      plannedFirings(twice, clock, started, 10).map((f) => [
        (f.at.getTime() - started.getTime()) / MIN,
        f.pass,
        f.step,
      ]),
    ).toEqual([
      [0, 0, 0],
      [10, 0, 1],
      [15, 1, 0],
      [25, 1, 1],
    ]);
    const last = decide(twice, 3, minutesAfter(25));
    expect(last.due?.firing.seq).toBe(3);
    expect(last).toMatchObject({ next: undefined, exhausted: true });
    const after = decide(twice, 4, minutesAfter(60));
    expect(after.due).toBeUndefined();
    expect(after.exhausted).toBe(true);
  });

  it('repeat: 0 is one pass', () => {
    expect(plannedFirings({ ...twice, repeat: 0 }, clock, started, 10)).toHaveLength(2);
  });
});

describe('business-hours-only policies', () => {
  const p3: EscalationPolicy = defaults.P3;

  it('a page at night waits for the next business morning', () => {
    const night = at('2026-01-07T21:00:00Z'); // Wed 22:00 Berlin
    const d = decide(p3, 0, night, night);
    expect(d.due).toBeUndefined();
    expect(d.next).toMatchObject({ seq: 0, at: at('2026-01-08T08:00:00Z') });
  });

  it('a Friday evening page waits for Monday, and its 4-hour step counts business time only', () => {
    const friday = at('2026-01-09T16:00:00Z'); // Fri 17:00: one business hour left
    const planned = plannedFirings(p3, clock, friday).map((f) => f.at.toISOString());
    expect(planned).toEqual(['2026-01-09T16:00:00.000Z', '2026-01-12T11:00:00.000Z']); // Mon 12:00 = 1 h + 3 h
  });

  it('business time follows the local clock across the spring change', () => {
    const friday = at('2026-03-27T16:00:00Z'); // Fri 17:00 CET; Monday is CEST
    expect(plannedFirings(p3, clock, friday)[1].at).toEqual(at('2026-03-30T10:00:00Z')); // Mon 12:00 CEST
  });
});

describe('recipients', () => {
  it('resolves layers, users, user groups and roles, without duplicates', () => {
    const r = recipients(
      { notify: ['primary', '@UALICE', 'S0ONCALL', 'dba', 'secondary'], after: 0 },
      { schedule, overrides: [], at: started, roles: (name) => (name === 'dba' ? ['UDBA', 'UALICE'] : undefined) },
    );
    expect(r.users).toEqual(['UALICE', 'UDBA', 'UBOB']);
    expect(r.usergroups).toEqual(['S0ONCALL']);
    expect(r.unreachable).toEqual([]);
  });

  it('says why a target reaches nobody', () => {
    const saturday = at('2026-01-10T12:00:00Z');
    const r = recipients({ notify: ['escalation', 'tertiary'], after: 0 }, { schedule, overrides: [], at: saturday });
    expect(r.unreachable).toEqual([
      {
        target: 'escalation',
        reason: 'nobody is on call on escalation until Mon 12 Jan 09:00',
        resumesAt: at('2026-01-12T08:00:00Z'),
      },
      expect.objectContaining({ target: 'tertiary', reason: expect.stringContaining('no layer tertiary') }),
    ]);
  });

  it('a step that reaches nobody makes the next step due at once', () => {
    const weekend = at('2026-01-10T12:00:00Z');
    const policy: EscalationPolicy = {
      steps: [
        { notify: ['escalation'], after: 0 },
        { notify: ['primary'], after: 30 * MIN },
      ],
      repeat: 0,
      repeatAfter: 0,
      businessHoursOnly: false,
    };
    const d = escalate({ policy, clock, startedAt: weekend, fired: 0, now: weekend, schedule });
    expect(d).toMatchObject({ reachedNobody: true, next: { seq: 1, at: weekend } });
    expect(
      escalate({ policy, clock, startedAt: weekend, fired: 1, now: weekend, schedule, force: true }).due?.recipients
        .users,
    ).toEqual(['UALICE']);
  });

  it('force sends the next step now (the Escalate button) and keeps the later ones on time', () => {
    const d = escalate({
      policy: p1,
      clock,
      startedAt: started,
      fired: 1,
      now: minutesAfter(1),
      schedule,
      force: true,
    });
    expect(d.due?.firing).toMatchObject({ seq: 1, step: 1 });
    expect(d.next?.at).toEqual(minutesAfter(15));
  });

  it('an override decides who the layer pages', () => {
    const cover = { layer: 'primary', userId: 'UDAVE', start: minutesAfter(-60), end: minutesAfter(60) };
    const d = escalate({ policy: p1, clock, startedAt: started, fired: 0, now: started, schedule, overrides: [cover] });
    expect(d.due?.recipients.users).toEqual(['UDAVE']);
  });
});
