import { context, escapeMrkdwn, section } from './blocks.js';
import type { KnownBlock } from './blocks.js';
import { escapeKeepingMentions, incidentRef, who, type IncidentView } from './incident-card.js';
import type { Reply } from './reply.js';

export interface TimelineItem {
  at: Date;
  kind: string;
  actorId?: string;
  text: string;
}

export const TIMELINE_ICON: Record<string, string> = {
  declared: ':rotating_light:',
  acknowledged: ':eyes:',
  owner: ':bust_in_silhouette:',
  severity: ':arrow_up_down:',
  update: ':speech_balloon:',
  mitigated: ':adhesive_bandage:',
  note: ':memo:',
  command: ':keyboard:',
  approval: ':raised_hand:',
  alert: ':bell:',
  job: ':gear:',
  pin: ':pushpin:',
  escalated: ':mega:',
  reminder: ':hourglass:',
  resolved: ':white_check_mark:',
};

/** "14:02" in the configured time zone (the timeline reads like a log). */
export function clockTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}

const SHOWN = 40;

/** The incident's timeline, oldest first; long ones keep the latest entries and attach the whole list. */
export function renderIncidentTimeline(i: IncidentView, items: TimelineItem[], timeZone: string): Reply {
  const line = (e: TimelineItem) =>
    `\`${clockTime(e.at, timeZone)}\` ${TIMELINE_ICON[e.kind] ?? '•'} ${e.actorId ? `${who(e.actorId)} ` : ''}${escapeKeepingMentions(e.text)}`;
  const shown = items.slice(-SHOWN);
  const blocks: KnownBlock[] = [section(`*Timeline of ${incidentRef(i)}* ${escapeMrkdwn(i.title)} (${timeZone})`)];
  // Several lines per section keep long timelines well under the 50-block limit.
  for (let k = 0; k < shown.length; k += 10)
    blocks.push(
      section(
        shown
          .slice(k, k + 10)
          .map(line)
          .join('\n'),
      ),
    );
  const hidden = items.length - shown.length;
  if (hidden > 0)
    blocks.push(context(`… ${hidden} earlier entr${hidden === 1 ? 'y' : 'ies'}; the full timeline is attached.`));
  const files =
    hidden > 0
      ? [
          {
            filename: `${incidentRef(i).toLowerCase()}-timeline.txt`,
            title: `${incidentRef(i)} timeline`,
            content: items.map((e) => `${e.at.toISOString()} [${e.kind}] ${e.actorId ?? ''} ${e.text}`).join('\n'),
          },
        ]
      : undefined;
  return { text: `Timeline of ${incidentRef(i)} (${items.length} entries)`, blocks, files };
}
