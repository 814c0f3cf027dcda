import type { Reply } from '../src/core/reply.js';
import type { FiringAlertRow, OpenIncidentRow, PendingApprovalRow, ShiftCounts } from '../src/store/oncall-overview.js';
import { context, section, truncate } from './blocks.js';
import { humanDuration } from './incident-card.js';

export interface HandoffView {
  schedule: string;
  layer: string;
  from?: string;
  to: string;
  until?: string;
  incidents: OpenIncidentRow[];
  alerts: FiringAlertRow[];
  approvals: PendingApprovalRow[];
  lastShift: ShiftCounts;
}

const list = <T>(items: T[], line: (t: T) => string, none: string) =>
  items.length
    ? truncate(
        items.slice(0, 8).map(line).join('\n') + (items.length > 8 ? `\n…and ${items.length - 8} more` : ''),
        2900,
      )
    : none;

/** The handoff message: who takes over, what is open, and what the last shift saw. */
export function renderHandoff(v: HandoffView, direct = false): Reply {
  const head = direct
    ? `:wave: You are on call now: *${v.schedule} / ${v.layer}*${v.until ? ` until ${v.until}` : ''}${v.from ? `, taking over from <@${v.from}>` : ''}.`
    : `:arrows_counterclockwise: *${v.schedule} / ${v.layer}*: <@${v.to}> is on call now${v.until ? ` until ${v.until}` : ''}${v.from ? ` (from <@${v.from}>)` : ''}.`;
  const c = v.lastShift;
  const shift =
    `Last shift: ${c.incidents} incident(s), ${c.alerts} alert(s), ${c.pages} page(s), ${c.acknowledged} acknowledged` +
    (c.medianAckMs !== undefined ? ` (median ${humanDuration(c.medianAckMs)} to acknowledge)` : '');
  return {
    text: `${v.schedule}/${v.layer}: ${v.to} is on call`,
    blocks: [
      section(head),
      section(
        `*Open incidents (${v.incidents.length})*\n` +
          list(
            v.incidents,
            (i) => `• ${i.severity} INC-${i.id} ${i.title}${i.channelId ? ` <#${i.channelId}>` : ''} (${i.status})`,
            '_none_',
          ),
      ),
      section(
        `*Firing alerts (${v.alerts.length})*\n` +
          list(
            v.alerts,
            (a) => `• ${a.severity} ${a.title} <#${a.channelId}>${a.ackedBy ? ` (ack <@${a.ackedBy}>)` : ''}`,
            '_none_',
          ),
      ),
      section(
        `*Pending approvals (${v.approvals.length})*\n` +
          list(v.approvals, (a) => `• \`${truncate(a.commandText, 80)}\` by <@${a.requestedBy}>`, '_none_'),
      ),
      context(shift),
    ],
  };
}
