import { atLocal, localTime } from './zoned-time.js';
import { currentOrNextWindow, windowIntervals, type Interval, type WeeklyWindow } from './windows.js';

/**
 * Who is on call, computed from the rules and the overrides at the instant
 * asked about; nothing here stores or remembers a "current" person. A layer's
 * shifts start at its handoff time on civil days (so a weekly shift is 167 or
 * 169 hours across a DST change, and always starts at 09:00 local). An
 * override changes who covers a stretch of time; a restriction still decides
 * when the layer is staffed at all.
 */

export interface RotationLayer {
  name: string;
  /** Slack user ids in turn order. */
  members: string[];
  /** Shift length in days (7 weekly, 1 daily). */
  shiftDays: number;
  /** Handoff wall-clock time, minutes after midnight. */
  handoff: number;
  /** Civil day of the first shift, which the first member takes. */
  startDay: number;
  restriction?: WeeklyWindow;
}

export interface Schedule {
  name: string;
  timeZone: string;
  /** In order: the first is the primary. */
  layers: RotationLayer[];
}

export interface Override {
  id?: string;
  layer: string;
  userId: string;
  start: Date;
  end: Date;
}

/** A stretch of a layer's timeline with one person, or nobody (outside its restriction). */
export interface Segment {
  layer: string;
  userId?: string;
  start: Date;
  end: Date;
  source: 'rotation' | 'override' | 'restricted';
  overrideId?: string;
}

export interface OnCall {
  layer: string;
  /** Undefined: nobody (the layer is restricted now); see resumesAt. */
  userId?: string;
  source: Segment['source'];
  overrideId?: string;
  since: Date;
  /** When this person stops being on call; undefined when no change is ahead (a one-person layer). */
  until?: Date;
  /** For a restricted layer with nobody now: when someone is on call again, and who. */
  resumesAt?: Date;
  resumesWith?: string;
}

export interface Handoff {
  at: Date;
  layer: string;
  from?: string;
  to: string;
}

const DAY_MS = 86_400_000;
const mod = (a: number, n: number) => ((a % n) + n) % n;

/** When rotation shift `k` of a layer starts. */
export function shiftStart(schedule: Schedule, layer: RotationLayer, k: number): Date {
  return atLocal(schedule.timeZone, layer.startDay + k * layer.shiftDays, layer.handoff);
}

/** The index of the rotation shift running at `at` (negative before the start date: turns are continued backwards). */
export function shiftIndexAt(schedule: Schedule, layer: RotationLayer, at: number): number {
  const day = localTime(at, schedule.timeZone).day;
  let k = Math.floor((day - layer.startDay) / layer.shiftDays);
  while (shiftStart(schedule, layer, k).getTime() > at) k--;
  while (shiftStart(schedule, layer, k + 1).getTime() <= at) k++;
  return k;
}

/** The rotation shifts overlapping [from, to), unclipped, with the member whose turn it is. */
export function rotationShifts(schedule: Schedule, layer: RotationLayer, from: number, to: number) {
  const shifts: { k: number; userId: string; start: Date; end: Date }[] = [];
  if (layer.members.length === 0) return shifts;
  for (let k = shiftIndexAt(schedule, layer, from); ; k++) {
    const start = shiftStart(schedule, layer, k);
    if (start.getTime() >= to) break;
    shifts.push({
      k,
      userId: layer.members[mod(k, layer.members.length)],
      start,
      end: shiftStart(schedule, layer, k + 1),
    });
  }
  return shifts;
}

/** One layer's timeline over [from, to): rotation, overrides laid over it, then its restriction applied. */
export function layerTimeline(
  schedule: Schedule,
  layer: RotationLayer,
  from: number,
  to: number,
  overrides: Override[],
): Segment[] {
  let segments: Segment[] = rotationShifts(schedule, layer, from, to).map((s) => ({
    layer: layer.name,
    userId: s.userId,
    start: new Date(Math.max(s.start.getTime(), from)),
    end: new Date(Math.min(s.end.getTime(), to)),
    source: 'rotation' as const,
  }));
  if (segments.length === 0)
    segments = [{ layer: layer.name, start: new Date(from), end: new Date(to), source: 'restricted' }];
  const mine = overrides
    .filter((o) => o.layer === layer.name && o.end.getTime() > from && o.start.getTime() < to)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const o of mine) {
    const cover: Interval = { start: Math.max(o.start.getTime(), from), end: Math.min(o.end.getTime(), to) };
    segments = cut(segments, cover, (s, iv) => ({
      ...s,
      ...dates(iv),
      userId: o.userId,
      source: 'override',
      overrideId: o.id,
    }));
  }
  if (layer.restriction) {
    const open = windowIntervals(layer.restriction, schedule.timeZone, from, to);
    const closed = complement(open, from, to);
    for (const gap of closed) {
      segments = cut(segments, gap, (s, iv) => ({ layer: s.layer, ...dates(iv), source: 'restricted' }));
    }
  }
  return merge(segments);
}

/** Who is on call in each layer at `at`, since when and until when. */
export function whoIsOnCall(schedule: Schedule, at: Date, overrides: Override[] = []): OnCall[] {
  const t = at.getTime();
  return schedule.layers.map((layer) => {
    const horizon = horizonMs(layer, overrides, t);
    const timeline = layerTimeline(schedule, layer, t - horizon, t + horizon, overrides);
    const i = timeline.findIndex((s) => s.start.getTime() <= t && t < s.end.getTime());
    const now = timeline[i];
    let first = i;
    while (first > 0 && timeline[first - 1].userId === now.userId) first--;
    let last = i;
    while (last < timeline.length - 1 && timeline[last + 1].userId === now.userId) last++;
    const reachesEnd = last === timeline.length - 1;
    const result: OnCall = {
      layer: layer.name,
      userId: now.userId,
      source: now.source,
      overrideId: now.overrideId,
      since: timeline[first].start,
      until: reachesEnd ? undefined : timeline[last].end,
    };
    if (!now.userId && !reachesEnd) {
      result.resumesAt = timeline[last + 1].start;
      result.resumesWith = timeline[last + 1].userId;
    } else if (!now.userId && layer.restriction) {
      const next = currentOrNextWindow(layer.restriction, schedule.timeZone, t);
      if (next) result.resumesAt = new Date(next.start);
    }
    return result;
  });
}

/** The next `count` handoffs after `from`, across layers (or in one), in time order. Gaps of a restricted layer are not handoffs. */
export function nextHandoffs(
  schedule: Schedule,
  from: Date,
  count: number,
  overrides: Override[] = [],
  layerName?: string,
): Handoff[] {
  const t = from.getTime();
  const layers = schedule.layers.filter((l) => !layerName || l.name === layerName);
  for (let days = 35; ; days *= 2) {
    const found: Handoff[] = [];
    for (const layer of layers) {
      const before = whoIsOnCall({ ...schedule, layers: [layer] }, from, overrides)[0];
      let current = before.userId ?? previousPerson(schedule, layer, t, overrides);
      for (const s of layerTimeline(schedule, layer, t, t + days * DAY_MS, overrides)) {
        if (!s.userId || s.userId === current) continue;
        if (s.start.getTime() > t) found.push({ at: s.start, layer: layer.name, from: current, to: s.userId });
        current = s.userId;
      }
    }
    if (found.length >= count || days > 3 * 366) {
      return found.sort((a, b) => a.at.getTime() - b.at.getTime()).slice(0, count);
    }
  }
}

/** Every layer's timeline over [from, to), for lists and the schedule picture. */
export function scheduleTimeline(schedule: Schedule, from: Date, to: Date, overrides: Override[] = []) {
  return schedule.layers.map((layer) => ({
    layer: layer.name,
    segments: layerTimeline(schedule, layer, from.getTime(), to.getTime(), overrides),
  }));
}

function previousPerson(
  schedule: Schedule,
  layer: RotationLayer,
  t: number,
  overrides: Override[],
): string | undefined {
  const back = layerTimeline(schedule, layer, t - horizonMs(layer, overrides, t), t, overrides);
  return [...back].reverse().find((s) => s.userId)?.userId;
}

/** Far enough to see every member's turn plus a week, and past every override. */
function horizonMs(layer: RotationLayer, overrides: Override[], t: number): number {
  const base = (layer.shiftDays * Math.max(layer.members.length, 1) + 8) * DAY_MS;
  const reach = overrides.map((o) => Math.max(o.end.getTime() - t, t - o.start.getTime()) + DAY_MS);
  return Math.max(base, ...reach);
}

function dates(iv: Interval) {
  return { start: new Date(iv.start), end: new Date(iv.end) };
}

/** Replaces the part of the timeline inside `iv` with `make(segment, overlap)`, keeping the rest. */
function cut(segments: Segment[], iv: Interval, make: (s: Segment, overlap: Interval) => Segment): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const a = s.start.getTime();
    const b = s.end.getTime();
    if (b <= iv.start || a >= iv.end) {
      out.push(s);
      continue;
    }
    if (a < iv.start) out.push({ ...s, end: new Date(iv.start) });
    out.push(make(s, { start: Math.max(a, iv.start), end: Math.min(b, iv.end) }));
    if (b > iv.end) out.push({ ...s, start: new Date(iv.end) });
  }
  return out;
}

function complement(open: Interval[], from: number, to: number): Interval[] {
  const gaps: Interval[] = [];
  let cursor = from;
  for (const i of open) {
    if (i.start > cursor) gaps.push({ start: cursor, end: i.start });
    cursor = Math.max(cursor, i.end);
  }
  if (cursor < to) gaps.push({ start: cursor, end: to });
  return gaps;
}

/** Joins neighbours with the same person from the same source. */
function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const prev = out[out.length - 1];
    if (prev && prev.userId === s.userId && prev.source === s.source && prev.overrideId === s.overrideId) {
      prev.end = s.end;
    } else out.push({ ...s });
  }
  return out;
}
