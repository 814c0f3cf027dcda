import { describe, expect, it } from 'vitest';
import { oncallSchema } from '../../src/config/oncall-schema.js';
import { configSchema } from '../../src/config/schema.js';
import { schedulesFromConfig } from '../../src/oncall/schedule-config.js';
import { whoIsOnCall } from '../../src/oncall/rotation.js';

const SCHEDULES = {
  platform: {
    channel: 'C0ONCALL',
    usergroup: 'S0ONCALL',
    layers: {
      primary: { members: ['U0ALICE', 'U0BOB'], start: '2026-01-05' },
      secondary: { members: { usergroup: 'S0PLATFORM' }, rotation: 'every 3 days', handoff: '10:30' },
      escalation: { members: ['U0VP'], restrictions: 'business-hours' },
    },
  },
};

describe('oncall config', () => {
  it("fills the guides' defaults: P1 primary at once, secondary after 5 min, escalation after 15, until acknowledged", () => {
    const oncall = oncallSchema.parse({ schedules: SCHEDULES });
    expect(oncall.policies.P1).toEqual({
      steps: [
        { notify: ['primary'], after: 0 },
        { notify: ['secondary'], after: 300_000 },
        { notify: ['escalation'], after: 900_000 },
      ],
      repeat: 'until-acknowledged',
      repeatAfter: 900_000,
      businessHoursOnly: false,
    });
    expect(oncall.policies.P3.businessHoursOnly).toBe(true);
    expect(oncall.policies.P4.businessHoursOnly).toBe(true);
    expect(oncall.businessHours).toEqual({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' });
    expect(oncall.schedules.platform.layers.primary).toMatchObject({ rotation: 7, handoff: '09:00' });
    expect(oncall.schedules.platform.layers.secondary.rotation).toBe(3);
  });

  it('lets a file change one severity and keeps the rest', () => {
    const oncall = oncallSchema.parse({
      schedules: SCHEDULES,
      policies: { P2: { steps: [{ notify: ['primary', '@U0LEAD'] }], repeat: 2, repeatAfter: '10m' } },
    });
    expect(oncall.policies.P2).toMatchObject({
      repeat: 2,
      repeatAfter: 600_000,
      steps: [{ notify: ['primary', '@U0LEAD'], after: 0 }],
    });
    expect(oncall.policies.P1.repeat).toBe('until-acknowledged');
  });

  it('refuses steps out of order, unknown schedules and bad members with the path', () => {
    const bad = oncallSchema.safeParse({
      schedules: { platform: { layers: { primary: { members: ['alice'] } } } },
      policies: {
        P1: {
          schedule: 'nope',
          steps: [
            { notify: ['primary'], after: '10m' },
            { notify: ['secondary'], after: '5m' },
          ],
        },
      },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('schedules.platform.layers.primary.members'),
        expect.stringContaining('policies.P1.steps.1.after'),
      ]),
    );
    const noSchedule = oncallSchema.safeParse({
      schedules: SCHEDULES,
      policies: { P1: { schedule: 'nope', steps: [{ notify: ['primary'] }] } },
    });
    expect(noSchedule.error!.issues[0].message).toContain('unknown schedule "nope"');
  });

  it('is an optional section of ops.yml', () => {
    const without = configSchema.parse({ environments: { prod: {} } });
    expect(without.oncall).toBeUndefined();
    const withIt = configSchema.parse({
      environments: { prod: {} },
      timezone: 'Europe/Berlin',
      oncall: { schedules: SCHEDULES },
    });
    expect(withIt.oncall!.pagers).toEqual({});
  });

  it('becomes schedules the rotation reads, with user group members sorted and the top-level time zone', () => {
    const oncall = oncallSchema.parse({ schedules: SCHEDULES });
    const schedules = schedulesFromConfig(oncall, 'Europe/Berlin', (id) =>
      id === 'S0PLATFORM' ? ['U0ZED', 'U0CAROL'] : undefined,
    );
    const platform = schedules.get('platform')!;
    expect(platform.timeZone).toBe('Europe/Berlin');
    expect(platform.layers.map((l) => [l.name, l.members, l.shiftDays, l.handoff])).toEqual([
      ['primary', ['U0ALICE', 'U0BOB'], 7, 540],
      ['secondary', ['U0CAROL', 'U0ZED'], 3, 630],
      ['escalation', ['U0VP'], 7, 540],
    ]);
    expect(platform.layers[2].restriction).toEqual({ days: [1, 2, 3, 4, 5], from: 540, to: 1080 });
    expect(whoIsOnCall(platform, new Date('2026-01-07T12:00:00Z')).map((o) => o.userId)).toEqual([
      'U0ALICE',
      expect.any(String),
      'U0VP',
    ]);
  });
});
