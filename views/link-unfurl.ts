import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { alertTone, humanDuration, stateEmoji, type AlertView } from './alert-card.js';
import type { Reply } from './reply.js';

/** An alert as a pasted opsbot link unfurls: state, severity, title, where and for how long. */
export function renderAlertUnfurl(a: AlertView & { permalink?: string }, now = new Date()): Reply {
  const state =
    a.state === 'resolved' ? 'resolved' : a.silencedUntil ? 'silenced' : a.ackedBy ? 'acknowledged' : 'firing';
  const title = a.permalink ? `<${a.permalink}|${escapeMrkdwn(a.title)}>` : escapeMrkdwn(a.title);
  const blocks: KnownBlock[] = [
    section(`${stateEmoji(a)} *${a.severity}* ${title} — ${state}`),
    context(
      [
        a.environment ? `env *${escapeMrkdwn(a.environment)}*` : undefined,
        `first seen ${humanDuration(now.getTime() - a.firstSeen.getTime())} ago`,
        `×${a.count}`,
        a.ackedBy ? `acked by <@${a.ackedBy}>` : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
    ),
  ];
  if (a.reason) blocks.splice(1, 0, section(escapeMrkdwn(a.reason.slice(0, 2900))));
  return { text: `${a.severity} ${a.title}: ${state}`, tone: a.state === 'resolved' ? 'ok' : alertTone([a]), blocks };
}
