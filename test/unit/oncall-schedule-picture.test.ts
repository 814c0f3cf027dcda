import { describe, expect, it } from 'vitest';
import { schedulePicture } from '../../src/oncall/schedule-picture.js';
import { renderScheduleSvg } from '../../views/oncall-schedule.js';
import { renderSvgToPng } from '../../src/charts/png.js';
import type { Schedule } from '../../src/oncall/rotation.js';
import { parseCivilDay } from '../../src/oncall/zoned-time.js';

const startDay = parseCivilDay('2026-01-05')!;
const schedule: Schedule = {
  name: 'platform',
  timeZone: 'Europe/Berlin',
  layers: [
    { name: 'primary', members: ['UALICE', 'UBOB'], shiftDays: 7, handoff: 540, startDay },
    {
      name: 'escalation',
      members: ['UVP'],
      shiftDays: 7,
      handoff: 540,
      startDay,
      restriction: { days: [1, 2, 3, 4, 5], from: 540, to: 1080 },
    },
  ],
};
const names: Record<string, string> = { UALICE: 'Alice Martin', UBOB: 'Bob', UVP: 'Vera (VP Eng)', UDAVE: 'Dave' };
const cover = {
  id: '1',
  layer: 'primary',
  userId: 'UDAVE',
  start: new Date('2026-03-25T08:00:00Z'),
  end: new Date('2026-03-26T08:00:00Z'),
};

describe('schedule picture', () => {
  const picture = schedulePicture(schedule, new Date('2026-03-21T10:00:00Z'), 4, [cover], (id) => names[id]);

  it('covers whole local days from today, in rows per layer, with names and overrides marked', () => {
    expect(picture.start).toEqual(new Date('2026-03-20T23:00:00Z')); // Berlin midnight before the spring change
    expect(picture.end).toEqual(new Date('2026-04-17T22:00:00Z')); // … and after it
    expect(picture.days).toHaveLength(28);
    expect(picture.days[2]).toMatchObject({ label: 'Mon 23', weekStart: true });
    expect(picture.rows.map((r) => r.layer)).toEqual(['primary', 'escalation']);
    expect(picture.rows[0].bars.find((b) => b.override)).toMatchObject({
      name: 'Dave',
      start: cover.start,
      end: cover.end,
    });
    expect(picture.rows[1].bars).toHaveLength(20); // business hours only: one bar per weekday
    expect(picture.title).toBe('On call: platform, 21 Mar – 17 Apr (Europe/Berlin)');
  });

  it('draws an SVG with the layer names, people and a dashed outline for overrides, and renders to PNG', () => {
    const svg = renderScheduleSvg(picture);
    expect(svg).toContain('>primary</text>');
    expect(svg).toContain('>Alice Martin</text>');
    expect(svg).toContain('<title>Dave</title>');
    expect(svg).toContain('stroke-dasharray="4 2"');
    expect(svg.match(/<rect [^>]*rx="3"/g)!.length).toBe(picture.rows.reduce((n, r) => n + r.bars.length, 0));
    const png = renderSvgToPng(svg);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('escapes names', () => {
    const svg = renderScheduleSvg(
      schedulePicture(schedule, new Date('2026-03-21T10:00:00Z'), 1, [], () => '<Bob & co>'),
    );
    expect(svg).not.toContain('<Bob');
    expect(svg).toContain('&lt;Bob &amp; co&gt;');
  });
});
