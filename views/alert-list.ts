import type { KnownBlock } from '@slack/types';
import { context, escapeMrkdwn, section, truncate } from './blocks.js';
import type { Reply } from './reply.js';
import { alertTone, humanDuration, slackDate, stateEmoji, type AlertView } from './alert-card.js';

export interface AlertListEntry extends AlertView {
  /** Link to the Slack message that shows the alert, when posted. */
  permalink?: string;
}

function line(a: AlertListEntry, now: Date): string {
  const env = a.environment ? ` · \`${escapeMrkdwn(a.environment)}\`` : '';
  const title = a.permalink ? `<${a.permalink}|${escapeMrkdwn(a.title)}>` : escapeMrkdwn(a.title);
  const extra = a.ackedBy
    ? ` · acked by <@${a.ackedBy}>`
    : a.silencedUntil
      ? ` · silenced until ${slackDate(a.silencedUntil)}`
      : '';
  return `${stateEmoji(a)} *${a.severity}* ${title}${env} · ${humanDuration(now.getTime() - a.firstSeen.getTime())} · ×${a.count}${extra}`;
}

/** `/ops alerts`: what is firing, what someone is on, what is muted. */
export function renderAlertList(alerts: AlertListEntry[], activeSilences: number, now = new Date()): Reply {
  const silenced = alerts.filter((a) => a.silencedUntil);
  const acked = alerts.filter((a) => !a.silencedUntil && a.ackedBy);
  const firing = alerts.filter((a) => !a.silencedUntil && !a.ackedBy);
  if (alerts.length === 0) {
    return {
      text: 'No alerts firing',
      tone: 'ok',
      blocks: [
        section(':large_green_circle: *No alerts firing.*'),
        context(`${activeSilences} active silence${activeSilences === 1 ? '' : 's'} · \`/ops silence list\``),
      ],
    };
  }
  const blocks: KnownBlock[] = [
    section(`*${firing.length} firing* · ${acked.length} acknowledged · ${silenced.length} silenced`),
  ];
  for (const [label, group] of [
    ['Firing', firing],
    ['Acknowledged', acked],
    ['Silenced', silenced],
  ] as const) {
    if (group.length === 0) continue;
    blocks.push(section(truncate(`*${label}*\n${group.map((a) => line(a, now)).join('\n')}`, 2900)));
  }
  blocks.push(
    context(
      `${activeSilences} active silence${activeSilences === 1 ? '' : 's'} · \`/ops silence list\` · buttons on each alert message acknowledge or silence it`,
    ),
  );
  return {
    text: `${firing.length} alerts firing, ${acked.length} acknowledged, ${silenced.length} silenced`,
    tone: alertTone(firing.length ? firing : alerts),
    blocks,
  };
}
