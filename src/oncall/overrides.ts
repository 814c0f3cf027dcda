import { formatLocal } from './zoned-time.js';
import { rotationShifts, type Override, type Schedule } from './rotation.js';

/**
 * Rules for overrides and swaps, before anything is stored: an override must
 * name a layer, end after it starts and after now, and must not overlap
 * another override on the same layer (the store's exclusion constraint says
 * the same across replicas). A swap is two overrides: each person takes the
 * other's next shift.
 */

export type Check = { ok: true } | { ok: false; reason: string };

const MAX_OVERRIDE_MS = 90 * 86_400_000;

export function checkOverride(schedule: Schedule, existing: Override[], candidate: Override, now: Date): Check {
  const layer = schedule.layers.find((l) => l.name === candidate.layer);
  if (!layer) {
    const known = schedule.layers.map((l) => l.name).join(', ');
    return { ok: false, reason: `schedule ${schedule.name} has no layer "${candidate.layer}" (layers: ${known})` };
  }
  const start = candidate.start.getTime();
  const end = candidate.end.getTime();
  if (!(end > start)) return { ok: false, reason: 'the override must end after it starts' };
  if (end <= now.getTime()) return { ok: false, reason: 'the override ends in the past' };
  if (end - start > MAX_OVERRIDE_MS)
    return { ok: false, reason: 'an override may last at most 90 days; change the rotation instead' };
  const clash = existing.find(
    (o) => o.layer === candidate.layer && o.id !== candidate.id && o.start.getTime() < end && start < o.end.getTime(),
  );
  if (clash) {
    return {
      ok: false,
      reason:
        `it overlaps ${clash.id ? `override ${clash.id}` : 'another override'} on ${clash.layer}: ` +
        `<@${clash.userId}> from ${describe(schedule, clash.start)} to ${describe(schedule, clash.end)}; ` +
        'remove that one first or pick times that do not overlap',
    };
  }
  return { ok: true };
}

export interface SwapPlan {
  /** The requester's shift, covered by the other person. */
  give: Override;
  /** The other person's shift, covered by the requester. */
  take: Override;
}

/**
 * Plans a swap on one layer: the requester's current or next rotation shift
 * (from `at` on) goes to `other`, and `other`'s next shift after that goes to
 * the requester. Refused with the reason when either has no shift ahead, when
 * they are the same person, or when an override already covers either shift.
 */
export function planSwap(
  schedule: Schedule,
  existing: Override[],
  request: { layer: string; requester: string; other: string; at: Date },
): { ok: true; plan: SwapPlan } | { ok: false; reason: string } {
  const layer = schedule.layers.find((l) => l.name === request.layer);
  if (!layer) return { ok: false, reason: `schedule ${schedule.name} has no layer "${request.layer}"` };
  if (request.requester === request.other) return { ok: false, reason: 'a swap needs two different people' };
  const t = request.at.getTime();
  const weeks = Math.max(layer.members.length, 1) * layer.shiftDays * 2 + 14;
  const ahead = rotationShifts(schedule, layer, t, t + weeks * 86_400_000).filter((s) => s.end.getTime() > t);
  const mine = ahead.find((s) => s.userId === request.requester);
  if (!mine) return { ok: false, reason: `<@${request.requester}> has no shift on ${layer.name} in the coming weeks` };
  const theirs = ahead.find((s) => s.userId === request.other && s.k !== mine.k);
  if (!theirs) return { ok: false, reason: `<@${request.other}> has no shift on ${layer.name} in the coming weeks` };
  const clip = (d: Date) => new Date(Math.max(d.getTime(), t));
  const give: Override = { layer: layer.name, userId: request.other, start: clip(mine.start), end: mine.end };
  const take: Override = { layer: layer.name, userId: request.requester, start: clip(theirs.start), end: theirs.end };
  for (const o of [give, take]) {
    const check = checkOverride(schedule, existing, o, request.at);
    if (!check.ok) return { ok: false, reason: `the shift from ${describe(schedule, o.start)}: ${check.reason}` };
  }
  return { ok: true, plan: { give, take } };
}

function describe(schedule: Schedule, d: Date): string {
  return formatLocal(d, schedule.timeZone);
}
