import { context, escapeMrkdwn, section } from './blocks.js';
import type { KnownBlock } from './blocks.js';
import {
  SEVERITY_ICON,
  escapeKeepingMentions,
  humanDuration,
  incidentRef,
  severityTone,
  slackTime,
  who,
  type IncidentView,
  type SeverityInfo,
} from './incident-card.js';
import type { Reply } from './reply.js';
import { stripEmphasis } from './plain-text.js';

/** Short messages opsbot posts in an incident channel and the announcement thread as things happen. */

const where = (i: IncidentView) => (i.channelId ? ` in <#${i.channelId}>` : '');

export function renderAnnouncement(i: IncidentView, sevLabel: string): Reply {
  const text = `${SEVERITY_ICON[i.severity]} *${i.severity} incident declared:* ${escapeMrkdwn(i.title)}${where(i)}`;
  return {
    text: `${i.severity} incident declared: ${i.title}`,
    tone: severityTone(i.severity),
    blocks: [
      section(text),
      context(
        `${incidentRef(i)} · ${escapeMrkdwn(sevLabel)} · declared by ${who(i.declaredBy)} · owner ${who(i.ownerId)}${i.env ? ` · ${escapeMrkdwn(i.env)}` : ''}`,
      ),
    ],
  };
}

export function renderDeclared(i: IncidentView, problems: string[]): Reply {
  const blocks: KnownBlock[] = [
    section(
      `${SEVERITY_ICON[i.severity]} Declared *${incidentRef(i)}* (${i.severity}) ${escapeMrkdwn(i.title)}${where(i)}.`,
    ),
  ];
  for (const p of problems) blocks.push(section(`:warning: ${p}`));
  blocks.push(context('Next: `/ops incident ack`, `/ops incident update <text>`, `/ops incident resolve <summary>`.'));
  return { text: `Declared ${incidentRef(i)} ${i.title}`, tone: problems.length ? 'warning' : 'ok', blocks };
}

export function renderAlreadyDeclared(i: IncidentView): Reply {
  return {
    text: `${incidentRef(i)} was already declared`,
    ephemeral: true,
    tone: 'info',
    blocks: [
      section(
        `:information_source: This declaration was already handled: *${incidentRef(i)}* ${escapeMrkdwn(i.title)}${where(i)}.`,
      ),
    ],
  };
}

export function renderEscalation(i: IncidentView, mentions: string, sev: SeverityInfo, now: Date): Reply {
  const late = humanDuration(now.getTime() - i.declaredAt.getTime());
  const text = `:rotating_light: *${incidentRef(i)} (${i.severity}) is not acknowledged* after ${late} (target ${sev.target}, due ${slackTime(sev.dueAt)})${where(i)}. ${mentions || 'No on-call role is configured (set incidents.oncallRole in ops.yml).'}`;
  return {
    text: `${incidentRef(i)} not acknowledged in time`,
    tone: 'danger',
    blocks: [section(text), context('Acknowledge with the button on the incident card or `/ops incident ack`.')],
  };
}

export function renderUpdateReminder(i: IncidentView, sinceMs: number): Reply {
  const text = `:hourglass: ${who(i.ownerId)}, no update on *${incidentRef(i)}* for ${humanDuration(sinceMs)}. Post one with \`/ops incident update <what changed>\`.`;
  return { text: `${incidentRef(i)} needs a status update`, tone: 'warning', blocks: [section(text)] };
}

/** One line posted in the channel (and the announcement thread) for a transition. */
export function renderIncidentEvent(i: IncidentView, line: string, tone?: Reply['tone']): Reply {
  return { text: `${incidentRef(i)}: ${stripEmphasis(line)}`, tone, blocks: [section(line)] };
}

export function renderStatusUpdate(i: IncidentView, actorId: string, text: string, mitigated: boolean): Reply {
  const head = mitigated ? ':adhesive_bandage: *Mitigated* — ' : ':speech_balloon: *Update* — ';
  return {
    text: `${incidentRef(i)} update: ${text}`,
    tone: mitigated ? 'ok' : severityTone(i.severity),
    blocks: [section(`${head}${escapeKeepingMentions(text)}`), context(`${incidentRef(i)} · ${who(actorId)}`)],
  };
}

export function renderResolved(i: IncidentView): Reply {
  const d = (t?: Date) => (t ? humanDuration(t.getTime() - i.declaredAt.getTime()) : 'never');
  const lines = [
    `:white_check_mark: *${incidentRef(i)} resolved* by ${who(i.resolvedBy)}: ${escapeKeepingMentions(i.summary ?? '')}`,
    `Acknowledged ${i.acknowledgedAt ? `after ${d(i.acknowledgedAt)}` : 'never'} · mitigated after ${d(i.mitigatedAt)} · resolved after ${d(i.resolvedAt)}.`,
  ];
  return {
    text: `${incidentRef(i)} resolved: ${i.summary ?? ''}`,
    tone: 'ok',
    blocks: [
      section(lines.join('\n')),
      context('The postmortem draft is attached: fill in impact, root cause and action items, then share it.'),
    ],
  };
}

/** What the person who typed an incident command sees; the channel gets the event itself. */
export function renderIncidentDone(message: string): Reply {
  return {
    text: stripEmphasis(message),
    ephemeral: true,
    tone: 'ok',
    blocks: [section(`:white_check_mark: ${message}`)],
  };
}

export function renderIncidentRefusal(message: string): Reply {
  return { text: message, ephemeral: true, tone: 'warning', blocks: [section(`:no_entry_sign: ${message}`)] };
}
