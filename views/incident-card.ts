import { actions, button, context, escapeMrkdwn, fieldSections, header, section } from './blocks.js';
import type { KnownBlock } from './blocks.js';
import type { Reply, Tone } from './reply.js';

export const INCIDENT_ACK_ACTION = 'incident.ack';
export const INCIDENT_UPDATE_ACTION = 'incident.update';
export const INCIDENT_RESOLVE_ACTION = 'incident.resolve';

export type SeverityLevel = 'P0' | 'P1' | 'P2' | 'P3' | 'P4';

/** What the incident views need; the store's Incident satisfies it. */
export interface IncidentView {
  id: number;
  title: string;
  description?: string;
  severity: SeverityLevel;
  env?: string;
  status: 'open' | 'acknowledged' | 'mitigated' | 'resolved';
  declaredBy: string;
  declaredAt: Date;
  ownerId?: string;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  mitigatedAt?: Date;
  resolvedAt?: Date;
  resolvedBy?: string;
  summary?: string;
  channelId?: string;
  escalatedAt?: Date;
  lastUpdateAt?: Date;
}

/** A severity's label and response target: the target in words ("1h", "next business day") and when it is due. */
export interface SeverityInfo {
  label: string;
  target: string;
  dueAt: Date;
}

export const SEVERITY_ICON: Record<SeverityLevel, string> = {
  P0: ':red_circle:',
  P1: ':large_orange_circle:',
  P2: ':large_yellow_circle:',
  P3: ':large_blue_circle:',
  P4: ':white_circle:',
};

const STATUS_LABEL: Record<IncidentView['status'], string> = {
  open: ':rotating_light: Investigating — not acknowledged',
  acknowledged: ':eyes: Acknowledged',
  mitigated: ':adhesive_bandage: Mitigated',
  resolved: ':white_check_mark: Resolved',
};

export function severityTone(severity: SeverityLevel): Tone {
  return severity === 'P0' || severity === 'P1' ? 'danger' : severity === 'P2' ? 'warning' : 'info';
}

/** Escapes mrkdwn but keeps user and channel mentions (<@U123>, <#C123>) working. */
export function escapeKeepingMentions(text: string): string {
  return escapeMrkdwn(text).replace(/&lt;([@#][UWCG][A-Z0-9]+(?:\|[^&]*)?)&gt;/g, '<$1>');
}

export function incidentRef(i: { id: number }): string {
  return `INC-${i.id}`;
}

/** "who": a Slack mention for people, the bare name for opsbot and terminal users. */
export function who(id: string | undefined): string {
  if (!id) return 'nobody yet';
  return /^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/** Slack renders this in each reader's own time zone; the fallback is UTC. */
export function slackTime(date: Date): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${date.toISOString().replace(/\.\d+Z$/, 'Z')}>`;
}

/** "42s", "12m", "1h 5m", "2d 3h": the two largest units. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !/^0[a-z]$/.test(p)).join(' ');
}

/** The response target line: due time while waiting, how long it took once acknowledged. */
function responseLine(i: IncidentView, sev: SeverityInfo, now: Date): string {
  const { target, dueAt: due } = sev;
  if (i.acknowledgedAt) {
    const took = i.acknowledgedAt.getTime() - i.declaredAt.getTime();
    return `${i.acknowledgedAt <= due ? ':white_check_mark:' : ':warning:'} acknowledged after ${humanDuration(took)} (target ${target}, due ${slackTime(due)})`;
  }
  if (i.status === 'resolved') return `never acknowledged (target ${target})`;
  return now >= due
    ? `:alarm_clock: *overdue* — was due ${slackTime(due)} (${target})`
    : `due by ${slackTime(due)} (${target})`;
}

/** The pinned incident card: severity colour, status, owner, times, response target, and the buttons while open. */
export function renderIncidentCard(
  i: IncidentView,
  sev: SeverityInfo,
  now: Date,
  links: { announcement?: string } = {},
): Reply {
  const resolved = i.status === 'resolved';
  const blocks: KnownBlock[] = [
    header(`${resolved ? '✅' : ''}${i.severity} · ${incidentRef(i)} · ${i.title}`),
    section(`${SEVERITY_ICON[i.severity]} *${i.severity} — ${escapeMrkdwn(sev.label)}* · ${STATUS_LABEL[i.status]}`),
    ...fieldSections([
      `*Owner*\n${who(i.ownerId)}`,
      `*Declared by*\n${who(i.declaredBy)}`,
      `*Started*\n${slackTime(i.declaredAt)}`,
      `*Response target*\n${responseLine(i, sev, now)}`,
      `*Environment*\n${i.env ? escapeMrkdwn(i.env) : '—'}`,
      `*Channel*\n${i.channelId ? `<#${i.channelId}>` : '—'}`,
    ]),
  ];
  if (i.description) blocks.push(section(`*What we know*\n${escapeKeepingMentions(i.description)}`));
  if (resolved && i.resolvedAt) {
    const d = (t?: Date) => (t ? humanDuration(t.getTime() - i.declaredAt.getTime()) : '—');
    blocks.push(
      ...fieldSections([
        `*Time to acknowledge*\n${d(i.acknowledgedAt)}`,
        `*Time to mitigate*\n${d(i.mitigatedAt)}`,
        `*Time to resolve*\n${d(i.resolvedAt)}`,
        `*Resolved by*\n${who(i.resolvedBy)}`,
      ]),
    );
    if (i.summary) blocks.push(section(`*Resolution*\n${escapeKeepingMentions(i.summary)}`));
  } else {
    const buttons = [
      ...(i.acknowledgedAt ? [] : [button('Acknowledge', INCIDENT_ACK_ACTION, String(i.id), 'primary')]),
      button('Post update', INCIDENT_UPDATE_ACTION, String(i.id)),
      button('Resolve', INCIDENT_RESOLVE_ACTION, String(i.id), 'danger'),
    ];
    blocks.push(actions(`incident:${i.id}`, ...buttons));
  }
  const linkParts = [
    links.announcement ? `<${links.announcement}|announcement>` : undefined,
    `\`/ops incident timeline --id ${i.id}\``,
  ].filter(Boolean) as string[];
  blocks.push(context(linkParts.join(' · ')));
  const status = resolved ? 'resolved' : i.status;
  return {
    text: `${i.severity} ${incidentRef(i)} ${i.title} (${status})`,
    tone: resolved ? 'ok' : severityTone(i.severity),
    blocks,
  };
}
