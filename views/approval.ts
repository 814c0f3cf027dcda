import { actions, button, context, escapeMrkdwn, fieldSections, section } from './blocks.js';
import type { KnownBlock } from './blocks.js';
import type { Reply, Tone } from './reply.js';

export const APPROVE_ACTION = 'approval.approve';
export const DENY_ACTION = 'approval.deny';

export interface ApprovalView {
  id: string;
  commandText: string;
  env: string;
  risk: string;
  effect: string;
  requestedBy: string;
  approverRoles: string[];
  requiredCount: number;
  status: 'pending' | 'approved' | 'denied' | 'expired' | 'executed' | 'failed';
  approvedBy: string[];
  deniedBy?: string;
  expiresAt: Date;
  outcome?: string;
  jobId?: string;
}

const STATUS: Record<ApprovalView['status'], { icon: string; label: string; tone: Tone }> = {
  pending: { icon: ':raised_hand:', label: 'Approval needed', tone: 'warning' },
  approved: { icon: ':white_check_mark:', label: 'Approved — running', tone: 'info' },
  executed: { icon: ':white_check_mark:', label: 'Approved and done', tone: 'ok' },
  failed: { icon: ':x:', label: 'Approved, but it failed', tone: 'danger' },
  denied: { icon: ':no_entry:', label: 'Denied', tone: 'muted' },
  expired: { icon: ':hourglass:', label: 'Expired', tone: 'muted' },
};

const users = (ids: string[]) => ids.map((id) => `<@${id}>`).join(', ');

/** Slack renders this in each reader's own time zone; the fallback is UTC. */
function slackTime(date: Date): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${date.toISOString().replace(/\.\d+Z$/, 'Z')}>`;
}

/** The card in front of every dangerous command: who, what, where, the concrete effect, and Approve / Deny while pending. */
export function renderApprovalCard(a: ApprovalView): Reply {
  const status = STATUS[a.status];
  const who = a.approverRoles.length
    ? `${a.requiredCount > 1 ? `${a.requiredCount} approvals` : '1 approval'} from ${a.approverRoles.map((r) => `*${escapeMrkdwn(r)}*`).join(' or ')}`
    : `${a.requiredCount > 1 ? `${a.requiredCount} people` : 'someone'} other than the requester`;
  const blocks: KnownBlock[] = [
    section(`${status.icon} *${status.label}:* \`/ops ${escapeMrkdwn(a.commandText)}\``),
    section(`*Effect:* ${escapeMrkdwn(a.effect)}`),
    ...fieldSections([
      `*Requested by*\n<@${a.requestedBy}>`,
      `*Environment*\n${escapeMrkdwn(a.env)}`,
      `*Risk*\n${a.risk === 'dangerous' ? ':rotating_light: dangerous' : escapeMrkdwn(a.risk)}`,
      a.status === 'pending'
        ? `*Expires*\n${slackTime(a.expiresAt)}`
        : `*Approved by*\n${a.approvedBy.length ? users(a.approvedBy) : '—'}`,
    ]),
  ];
  if (a.status === 'pending') {
    const progress = a.approvedBy.length
      ? ` (${a.approvedBy.length} of ${a.requiredCount} so far: ${users(a.approvedBy)})`
      : '';
    blocks.push(context(`Needs ${who}${progress}. The requester cannot approve their own request.`));
    blocks.push(
      actions(
        `approval:${a.id}`,
        button('Approve', APPROVE_ACTION, a.id, 'primary'),
        button('Deny', DENY_ACTION, a.id, 'danger'),
      ),
    );
  } else if (a.status === 'denied') {
    blocks.push(
      context(
        a.deniedBy === a.requestedBy
          ? 'Withdrawn by the requester. Nothing was run.'
          : `Denied by <@${a.deniedBy}>. Nothing was run.`,
      ),
    );
  } else if (a.status === 'expired') {
    blocks.push(
      context(`Nobody approved it in time. Nothing was run; ask again with \`/ops ${escapeMrkdwn(a.commandText)}\`.`),
    );
  } else {
    const parts = [a.jobId ? `job \`${a.jobId}\`` : undefined, a.outcome ? escapeMrkdwn(a.outcome) : undefined].filter(
      Boolean,
    );
    if (parts.length) blocks.push(context(parts.join(' · ')));
  }
  return { text: `${status.label}: /ops ${a.commandText} (${a.effect})`, tone: status.tone, blocks };
}

/** The ephemeral answer to a click that cannot count. */
export function renderApprovalRefusal(reason: string): Reply {
  return { text: reason, ephemeral: true, tone: 'warning', blocks: [section(`:no_entry_sign: ${reason}`)] };
}

/** What the requester sees right after asking. */
export function renderApprovalRequested(a: ApprovalView, postedIn: string[]): Reply {
  const where = postedIn.length ? ` Approval card posted in ${postedIn.map((c) => `<#${c}>`).join(' and ')}.` : '';
  const text = `\`/ops ${escapeMrkdwn(a.commandText)}\` needs approval before it runs.${where}`;
  return { text, ephemeral: true, tone: 'info', blocks: [section(`:raised_hand: ${text}`)] };
}
