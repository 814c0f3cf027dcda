import type { Button, KnownBlock, Overflow } from '@slack/types';
import { actions, button, context, escapeMrkdwn, fieldSections, section, truncate } from './blocks.js';
import type { Reply, Tone } from './reply.js';

export const ALERT_ACK = 'alert.ack';
export const ALERT_SILENCE = 'alert.silence.*';
export const ALERT_INCIDENT = 'alert.incident';
export const ALERT_RUNBOOK = 'alert.runbook';
export const ALERT_LINK = 'alert.link';
export const ALERT_MENU = 'alert.menu';
export const ALERT_ACK_ALL = 'alert.ack-all';
export const SILENCE_CHOICES = ['1h', '4h', '24h'] as const;

export interface AlertView {
  id: string;
  title: string;
  state: 'firing' | 'resolved';
  severity: string;
  environment?: string;
  reason?: string;
  metric?: { namespace?: string; name?: string; comparison?: string; threshold?: number; statistic?: string };
  link?: string;
  firstSeen: Date;
  lastSeen: Date;
  resolvedAt?: Date;
  count: number;
  ackedBy?: string;
  ackedAt?: Date;
  silencedUntil?: Date;
  incidentBy?: string;
}

export interface AlertGroupView {
  messageId: string;
  alerts: AlertView[];
  /** Alerts in the message beyond those loaded. */
  total: number;
  /** Shown on the first post only: Slack notifies mentions when a message is posted. */
  mentions?: string;
  runbook?: string;
  routeLabel?: string;
}

const SEVERITY_TONE: Record<string, Tone> = { P0: 'danger', P1: 'danger', P2: 'warning', P3: 'info', P4: 'muted' };
const COMPARISON: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside',
  LessThanLowerThreshold: '<',
  GreaterThanUpperThreshold: '>',
};

export function slackDate(d: Date): string {
  const unix = Math.floor(d.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${d.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;
}

export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function stateEmoji(a: AlertView): string {
  if (a.state === 'resolved') return ':large_green_circle:';
  if (a.silencedUntil) return ':no_bell:';
  if (a.ackedBy) return ':eyes:';
  return a.severity === 'P0' || a.severity === 'P1' ? ':red_circle:' : ':large_orange_circle:';
}

/** Colour of the bar: green when everything resolved, else the worst firing severity. */
export function alertTone(alerts: AlertView[]): Tone {
  const firing = alerts.filter((a) => a.state === 'firing');
  if (firing.length === 0) return 'ok';
  if (firing.every((a) => a.silencedUntil)) return 'muted';
  const worst = firing.map((a) => a.severity).sort()[0];
  return SEVERITY_TONE[worst] ?? 'warning';
}

function metricLine(a: AlertView): string | undefined {
  const m = a.metric;
  if (!m || (!m.name && m.threshold === undefined)) return undefined;
  const what = [m.namespace, m.name].filter(Boolean).join(' ');
  const cmp = m.comparison ? (COMPARISON[m.comparison] ?? m.comparison) : '';
  const threshold = m.threshold !== undefined ? ` ${cmp} ${m.threshold}` : '';
  return `${escapeMrkdwn(what || 'metric')}${m.statistic ? ` (${m.statistic.toLowerCase()})` : ''}${threshold}`;
}

function statusNotes(a: AlertView, now: Date): string[] {
  const notes: string[] = [];
  if (a.state === 'resolved' && a.resolvedAt)
    notes.push(
      `:white_check_mark: Resolved ${slackDate(a.resolvedAt)} after ${humanDuration(a.resolvedAt.getTime() - a.firstSeen.getTime())}`,
    );
  else notes.push(`Firing for ${humanDuration(now.getTime() - a.firstSeen.getTime())}`);
  if (a.ackedBy) notes.push(`:eyes: Acknowledged by <@${a.ackedBy}>${a.ackedAt ? ` ${slackDate(a.ackedAt)}` : ''}`);
  if (a.silencedUntil && a.state === 'firing') notes.push(`:no_bell: Silenced until ${slackDate(a.silencedUntil)}`);
  if (a.incidentBy)
    notes.push(`:fire_engine: Incident opened by ${a.incidentBy === 'opsbot' ? 'opsbot' : `<@${a.incidentBy}>`}`);
  return notes;
}

function alertButtons(a: AlertView, runbook?: string): Button[] {
  const out: Button[] = [];
  if (a.state === 'firing' && !a.ackedBy) out.push(button('Acknowledge', ALERT_ACK, a.id, 'primary'));
  if (a.state === 'firing' && !a.silencedUntil)
    for (const d of SILENCE_CHOICES) out.push(button(`Silence ${d}`, `alert.silence.${d}`, a.id));
  if (a.state === 'firing' && !a.incidentBy) out.push(button('Open incident', ALERT_INCIDENT, a.id, 'danger'));
  if (runbook) out.push({ ...button('Runbook', ALERT_RUNBOOK, a.id), url: runbook });
  if (a.link) out.push({ ...button('Open source', ALERT_LINK, a.id), url: a.link });
  return out;
}

/** The choices left for a firing alert in a group: an overflow menu, or a button when one is left. */
function overflowFor(a: AlertView): Overflow | Button | undefined {
  if (a.state !== 'firing') return undefined;
  const options = [
    ...(!a.ackedBy ? [{ text: 'Acknowledge', value: `ack:${a.id}` }] : []),
    ...(!a.silencedUntil ? SILENCE_CHOICES.map((d) => ({ text: `Silence ${d}`, value: `silence.${d}:${a.id}` })) : []),
    ...(!a.incidentBy ? [{ text: 'Open incident', value: `incident:${a.id}` }] : []),
  ];
  if (options.length === 0) return undefined;
  // Slack rejects an overflow menu with fewer than 2 options: one choice left (e.g. acknowledged and
  // silenced, no incident yet) is a button with the menu's action id, so the same handler takes it.
  if (options.length === 1) return button(options[0].text, ALERT_MENU, options[0].value);
  return {
    type: 'overflow',
    action_id: ALERT_MENU,
    options: options.slice(0, 5).map((o) => ({ text: { type: 'plain_text', text: o.text }, value: o.value })),
  };
}

function headline(a: AlertView): string {
  const env = a.environment ? ` · \`${escapeMrkdwn(a.environment)}\`` : '';
  const word = a.state === 'resolved' ? 'RESOLVED' : a.severity;
  return `${stateEmoji(a)} *${word} · ${escapeMrkdwn(a.title)}*${env}`;
}

function renderSingle(a: AlertView, v: AlertGroupView, now: Date): Reply {
  const blocks: KnownBlock[] = [section(`${headline(a)}${v.mentions ? `\n${v.mentions}` : ''}`)];
  if (a.reason) blocks.push(section(truncate(escapeMrkdwn(a.reason), 1500)));
  const fields = [`*Since*\n${slackDate(a.firstSeen)}`, `*Seen*\n${a.count}× · last ${slackDate(a.lastSeen)}`];
  const metric = metricLine(a);
  if (metric) fields.push(`*Metric*\n${metric}`);
  fields.push(`*Severity*\n${a.severity}`);
  blocks.push(...fieldSections(fields));
  blocks.push(context(...statusNotes(a, now)));
  const buttons = alertButtons(a, v.runbook);
  if (buttons.length) blocks.push(actions(`alert:${a.id}`, ...buttons));
  return {
    text: `${a.state === 'resolved' ? 'Resolved' : a.severity}: ${a.title}${a.environment ? ` (${a.environment})` : ''}`,
    tone: alertTone([a]),
    blocks,
  };
}

/** One alert: a full card with buttons. Several that arrived together: one line each with a menu. */
export function renderAlertGroup(v: AlertGroupView, now = new Date()): Reply {
  if (v.alerts.length === 1 && v.total === 1) return renderSingle(v.alerts[0], v, now);
  const firing = v.alerts.filter((a) => a.state === 'firing').length;
  const title = `:rotating_light: *${v.total} alerts*${v.routeLabel ? ` · ${escapeMrkdwn(v.routeLabel)}` : ''} — ${firing} firing, ${v.alerts.length - firing} resolved`;
  const blocks: KnownBlock[] = [section(`${title}${v.mentions ? `\n${v.mentions}` : ''}`)];
  const detailed = v.alerts.slice(0, 20);
  for (const a of detailed) {
    const metric = metricLine(a);
    const notes = statusNotes(a, now)
      .slice(a.state === 'resolved' ? 0 : 1)
      .join(' · ');
    const line = `${headline(a)}  ×${a.count}${metric ? `\n${metric}` : ''}${notes ? `\n${notes}` : ''}`;
    blocks.push(section(line, overflowFor(a)));
  }
  const rest = v.alerts.slice(detailed.length);
  if (rest.length)
    blocks.push(
      section(truncate(rest.map((a) => `${stateEmoji(a)} ${escapeMrkdwn(a.title)} ×${a.count}`).join('\n'), 2900)),
    );
  if (v.total > v.alerts.length) blocks.push(context(`… ${v.total - v.alerts.length} more; see \`/ops alerts\``));
  const extra: Button[] = [];
  if (firing > 0) extra.push(button('Acknowledge all', ALERT_ACK_ALL, v.messageId));
  if (v.runbook) extra.push({ ...button('Runbook', ALERT_RUNBOOK, v.messageId), url: v.runbook });
  if (extra.length) blocks.push(actions('alert-group', ...extra));
  return {
    text: `${v.total} alerts (${firing} firing)${v.routeLabel ? ` · ${v.routeLabel}` : ''}`,
    tone: alertTone(v.alerts),
    blocks,
  };
}
