import type { KnownBlock } from '@slack/types';
import { context, section } from './blocks.js';
import type { Reply } from './reply.js';
import { alertTone, humanDuration, stateEmoji, type AlertView } from './alert-card.js';
import { dataTable, type TableCell } from './table.js';

export interface AlertListEntry extends AlertView {
  /** Link to the Slack message that shows the alert, when posted. */
  permalink?: string;
}

const utc = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

function row(a: AlertListEntry, label: string, now: Date): TableCell[] {
  const state: TableCell = [{ emoji: stateEmoji(a).replace(/:/g, '') }, { text: ` ${label.toLowerCase()}` }];
  const title: TableCell = a.permalink ? [{ link: a.permalink, text: a.title }] : a.title;
  const note: TableCell = a.ackedBy
    ? [{ text: 'acked by ' }, { user: a.ackedBy }]
    : a.silencedUntil
      ? `silenced until ${utc(a.silencedUntil)}`
      : '';
  return [
    state,
    a.severity,
    title,
    a.environment ?? '',
    humanDuration(now.getTime() - a.firstSeen.getTime()),
    `×${a.count}`,
    note,
  ];
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
  const rows = (
    [
      ['Firing', firing],
      ['Acknowledged', acked],
      ['Silenced', silenced],
    ] as const
  ).flatMap(([label, group]) => group.map((a) => row(a, label, now)));
  blocks.push(
    ...dataTable(
      [
        { header: 'state' },
        { header: 'sev' },
        { header: 'alert', wrap: true },
        { header: 'env' },
        { header: 'for', align: 'right' },
        { header: 'count', align: 'right' },
        { header: 'note' },
      ],
      rows,
    ),
  );
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
