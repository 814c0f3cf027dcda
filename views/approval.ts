import { actions, button, context, escapeMrkdwn, fieldSections, section } from './blocks.js';
import type { KnownBlock } from './blocks.js';
import type { Reply, Tone } from './reply.js';
import type { Plan } from '../src/core/plan.js';

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
  /** When each of approvedBy approved. */
  approvedAt?: Date[];
  deniedBy?: string;
  expiresAt: Date;
  outcome?: string;
  jobId?: string;
  finishedAt?: Date;
  /** The frozen plan: what Approve runs. */
  plan?: Pick<Plan, 'summary' | 'effects' | 'targets' | 'preconditions'>;
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

/** Who approved when: "<@U0BOB> at 09:12". */
function approvers(a: ApprovalView): string {
  if (!a.approvedBy.length) return '—';
  return a.approvedBy
    .map((u, i) => (a.approvedAt?.[i] ? `<@${u}> ${slackTime(a.approvedAt[i])}` : `<@${u}>`))
    .join(', ');
}

/** The frozen plan as the card shows it: effect lines, the concrete targets, and what is checked before acting. */
function planBlocks(a: ApprovalView): KnownBlock[] {
  if (!a.plan) return [section(`*Effect:* ${escapeMrkdwn(a.effect)}`)];
  const p = a.plan;
  const lines = [`*Plan:* ${escapeMrkdwn(p.summary)}`, ...p.effects.map((e) => `• ${escapeMrkdwn(e)}`)];
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  if (p.targets.length) {
    const shown = p.targets.slice(0, 12).map((t) => `${t.kind} \`${t.id}\`${t.detail ? ` (${t.detail})` : ''}`);
    const more = p.targets.length > 12 ? ` and ${p.targets.length - 12} more` : '';
    blocks.push(context(`*Targets:* ${escapeMrkdwn(shown.join(', '))}${more}`));
  }
  if (p.preconditions.length) {
    const checks = p.preconditions.map((c) => `${c.what} ${JSON.stringify(c.expected)}`).join('; ');
    blocks.push(
      context(
        `*Checked before acting:* ${escapeMrkdwn(checks)}. If any changed, nothing is changed and this card says what.`,
      ),
    );
  }
  return blocks;
}

/** The card in front of every gated command: who, what, where, the frozen plan, and Approve / Deny while pending. */
export function renderApprovalCard(a: ApprovalView): Reply {
  const status = STATUS[a.status];
  const who = a.approverRoles.length
    ? `${a.requiredCount > 1 ? `${a.requiredCount} approvals` : '1 approval'} from ${a.approverRoles.map((r) => `*${escapeMrkdwn(r)}*`).join(' or ')}`
    : `${a.requiredCount > 1 ? `${a.requiredCount} people` : 'someone'} other than the requester`;
  const blocks: KnownBlock[] = [
    section(`${status.icon} *${status.label}:* \`/ops ${escapeMrkdwn(a.commandText)}\``),
    ...planBlocks(a),
    ...fieldSections([
      `*Requested by*\n<@${a.requestedBy}>`,
      `*Environment*\n${escapeMrkdwn(a.env)}`,
      `*Risk*\n${a.risk === 'dangerous' ? ':rotating_light: dangerous' : escapeMrkdwn(a.risk)}`,
      a.status === 'pending' ? `*Expires*\n${slackTime(a.expiresAt)}` : `*Approved by*\n${approvers(a)}`,
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
    if (a.finishedAt) parts.push(`finished ${slackTime(a.finishedAt)}`);
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
