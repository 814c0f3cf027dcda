import { UserError } from '../errors.js';
import { atLocal, parseCivilDay, parseClock } from './zoned-time.js';

const EXAMPLE = '`/ops oncall override @bob 2026-12-24 09:00..2026-12-27 09:00`';

/**
 * "2026-12-24 09:00..2026-12-27 09:00" (or "2026-12-24..2026-12-27": from
 * midnight to midnight) in the schedule's time zone → two instants. Bad input
 * says what to type.
 */
export function parseOverrideRange(text: string, timeZone: string): { start: Date; end: Date } {
  const parts = text.trim().split(/\s*\.\.\s*/);
  if (parts.length !== 2)
    throw new UserError(
      `\`${text || '(nothing)'}\` is not a time range.`,
      `Write the start and end joined by \`..\`, in ${timeZone}: ${EXAMPLE}.`,
    );
  const [start, end] = parts.map((p, i) => parseLocal(p, timeZone, i === 0 ? 'start' : 'end'));
  if (end.getTime() <= start.getTime())
    throw new UserError('The override must end after it starts.', `For example ${EXAMPLE}.`);
  return { start, end };
}

function parseLocal(text: string, timeZone: string, which: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?$/.exec(text.trim());
  const day = m ? parseCivilDay(m[1]) : undefined;
  const minute = m ? (m[2] ? parseClock(m[2]) : 0) : undefined;
  if (day === undefined || minute === undefined)
    throw new UserError(
      `The ${which} \`${text || '(nothing)'}\` is not a date and time.`,
      `Write it as YYYY-MM-DD HH:MM in ${timeZone}, e.g. ${EXAMPLE}.`,
    );
  return atLocal(timeZone, day, minute);
}
