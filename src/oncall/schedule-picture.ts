import { scheduleTimeline, type Override, type Schedule } from './rotation.js';
import { atLocal, localTime } from './zoned-time.js';

/** What views/oncall-schedule.ts draws: rows of bars with names and day ticks, all in the schedule's time zone. */
export interface SchedulePicture {
  title: string;
  start: Date;
  end: Date;
  now?: Date;
  days: { at: Date; label: string; weekStart: boolean }[];
  rows: {
    layer: string;
    bars: { start: Date; end: Date; userId: string; name: string; override: boolean }[];
  }[];
}

const DAY_LABEL = (tz: string) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', day: 'numeric' });
const TITLE_DATE = (tz: string) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short' });

/**
 * The next `weeks` weeks of a schedule from local midnight of `from`'s day: one row per
 * layer, one bar per stretch someone is on call (gaps where a restricted layer has nobody).
 */
export function schedulePicture(
  schedule: Schedule,
  from: Date,
  weeks: number,
  overrides: Override[],
  nameOf: (userId: string) => string = (id) => id,
): SchedulePicture {
  const tz = schedule.timeZone;
  const firstDay = localTime(from, tz).day;
  const start = atLocal(tz, firstDay, 0);
  const end = atLocal(tz, firstDay + weeks * 7, 0);
  const days = Array.from({ length: weeks * 7 }, (_, i) => {
    const at = atLocal(tz, firstDay + i, 0);
    return { at, label: DAY_LABEL(tz).format(at), weekStart: localTime(at, tz).weekday === 1 };
  });
  const rows = scheduleTimeline(schedule, start, end, overrides).map((row) => ({
    layer: row.layer,
    bars: row.segments
      .filter((s) => s.userId)
      .map((s) => ({
        start: s.start,
        end: s.end,
        userId: s.userId!,
        name: nameOf(s.userId!),
        override: s.source === 'override',
      })),
  }));
  const last = new Date(end.getTime() - 1);
  return {
    title: `On call: ${schedule.name}, ${TITLE_DATE(tz).format(start)} – ${TITLE_DATE(tz).format(last)} (${tz})`,
    start,
    end,
    now: from,
    days,
    rows,
  };
}
