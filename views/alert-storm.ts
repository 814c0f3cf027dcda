import type { KnownBlock } from '@slack/types';
import { actions, button, context, escapeMrkdwn, fieldSections, section } from './blocks.js';
import { sparkline } from './progress.js';
import type { Reply } from './reply.js';
import { ALERT_ACK_ALL, alertTone, humanDuration, stateEmoji, type AlertView } from './alert-card.js';

export interface StormView {
  messageId: string;
  alerts: AlertView[];
  total: number;
  startedAt: Date;
  mentions?: string;
}

/** Arrivals per slice of the storm so far, as a sparkline. */
function arrivals(alerts: AlertView[], from: Date, now: Date, buckets = 24): string {
  const span = Math.max(1, now.getTime() - from.getTime());
  const counts = new Array<number>(buckets).fill(0);
  for (const a of alerts)
    counts[Math.min(buckets - 1, Math.floor(((a.firstSeen.getTime() - from.getTime()) / span) * buckets))] += 1;
  return sparkline(counts);
}

/** During a storm the channel gets this one summary, updated in place, instead of one message per alert. */
export function renderAlertStorm(v: StormView, now = new Date()): Reply {
  const firing = v.alerts.filter((a) => a.state === 'firing');
  const acked = firing.filter((a) => a.ackedBy).length;
  const notifications = v.alerts.reduce((n, a) => n + a.count, 0);
  const blocks: KnownBlock[] = [
    section(
      `:ocean: *Alert storm* — ${v.total} alerts in ${humanDuration(now.getTime() - v.startedAt.getTime())}, grouped into this message${v.mentions ? `\n${v.mentions}` : ''}`,
    ),
    ...fieldSections([
      `*Firing*\n${firing.length}`,
      `*Resolved*\n${v.alerts.length - firing.length}`,
      `*Acknowledged*\n${acked}`,
      `*Notifications*\n${notifications}`,
    ]),
    section(`Arrivals \`${arrivals(v.alerts, v.startedAt, now)}\``),
  ];
  // Names, compactly, as many sections as fit: every alarm in the storm stays visible.
  const lines = v.alerts.map((a) => `${stateEmoji(a)} ${escapeMrkdwn(a.title)}${a.count > 1 ? ` ×${a.count}` : ''}`);
  let chunk = '';
  for (const line of lines) {
    if (chunk.length + line.length + 1 > 2900) {
      blocks.push(section(chunk));
      chunk = '';
      if (blocks.length >= 44) break;
    }
    chunk += (chunk ? '\n' : '') + line;
  }
  if (chunk && blocks.length < 45) blocks.push(section(chunk));
  if (v.total > v.alerts.length) blocks.push(context(`… ${v.total - v.alerts.length} more; see \`/ops alerts\``));
  blocks.push(context('Act on single alerts with `/ops alerts`; mute a family with `/ops silence add <pattern> 1h`.'));
  if (firing.length > acked)
    blocks.push(actions('alert-storm', button('Acknowledge all', ALERT_ACK_ALL, v.messageId, 'primary')));
  return { text: `Alert storm: ${v.total} alerts (${firing.length} firing)`, tone: alertTone(v.alerts), blocks };
}
