import type { View } from '@slack/types';
import type {
  DueChecklistRow,
  FiringAlertRow,
  OpenIncidentRow,
  PendingApprovalRow,
} from '../src/store/oncall-overview.js';
import { context, divider, header, section, truncate, type KnownBlock } from './blocks.js';

export interface HomeView {
  userId: string;
  /** One line per schedule layer the person is on call for now ("primary until Mon 09:00"). */
  onCall: string[];
  /** Their next shift when they are not on call now. */
  nextShift?: string;
  incidents: OpenIncidentRow[];
  acknowledgements: { summary: string; at: Date }[];
  /** Firing alerts in the channels the person is in. */
  alerts: FiringAlertRow[];
  /** Why some alerts could not be matched to the person's channels (they are shown anyway). */
  alertsNote?: string;
  approvals: PendingApprovalRow[];
  checklists: DueChecklistRow[];
  at: Date;
}

const MAX = 8;
const lines = <T>(title: string, items: T[], line: (t: T) => string): KnownBlock => {
  const shown = items.slice(0, MAX).map(line);
  if (items.length > MAX) shown.push(`…and ${items.length - MAX} more`);
  return section(`*${title} (${items.length})*\n${truncate(shown.join('\n'), 2900) || '_none_'}`);
};

/** The App Home tab for one person (well under Slack's 100 blocks). */
export function renderHome(v: HomeView): View {
  const status = v.onCall.length
    ? `:pager: *You are on call now*\n${v.onCall.map((l) => `• ${l}`).join('\n')}`
    : `:zzz: You are not on call now.${v.nextShift ? ` Next shift: ${v.nextShift}.` : ''}`;
  return {
    type: 'home',
    blocks: [
      header('opsbot'),
      section(status),
      divider(),
      lines(
        'Your open incidents',
        v.incidents,
        (i) => `• ${i.severity} INC-${i.id} ${i.title}${i.channelId ? ` <#${i.channelId}>` : ''} (${i.status})`,
      ),
      lines(
        'Your recent acknowledgements',
        v.acknowledgements,
        (a) =>
          `• ${a.summary} <!date^${Math.floor(a.at.getTime() / 1000)}^{date_short_pretty} {time}|${a.at.toISOString()}>`,
      ),
      lines(
        'Firing alerts in your channels',
        v.alerts,
        (a) => `• ${a.severity} ${a.title} <#${a.channelId}>${a.ackedBy ? ` (ack <@${a.ackedBy}>)` : ''}`,
      ),
      ...(v.alertsNote ? [context(`:warning: ${truncate(v.alertsNote, 1900)}`)] : []),
      lines(
        'Approvals waiting for you',
        v.approvals,
        (a) => `• \`${truncate(a.commandText, 80)}\` by <@${a.requestedBy}>`,
      ),
      lines('Due checklists', v.checklists, (c) => `• ${c.title} <#${c.channelId}>`),
      context(
        `Updated <!date^${Math.floor(v.at.getTime() / 1000)}^{time}|${v.at.toISOString()}> · \`/ops oncall\` shows the whole schedule.`,
      ),
    ],
  };
}
