import type { Approval } from '../store/approvals.js';
import type { AccessControl } from './policy.js';

// What a person is told when their click cannot approve or deny: who can, or why the request is closed.

/** ": ask <@U1>, <@U2>" — the people in the approver roles other than the requester; empty when there are none. */
export function whoCanApprove(access: Pick<AccessControl, 'roleUsers'>, approval: Approval): string {
  const people = access.roleUsers(approval.approverRoles).filter((u) => u !== approval.requestedBy);
  return people.length ? `: ask ${people.map((u) => `<@${u}>`).join(', ')}` : '';
}

/** Why a click on a request that is no longer pending does nothing, and what to do instead. */
export function whyNot(approval: Approval, userId: string): string {
  switch (approval.status) {
    case 'approved':
    case 'executed':
    case 'failed':
      return `Already approved by ${approval.approvedBy.map((u) => `<@${u}>`).join(', ')}.`;
    case 'denied':
      return `Already denied by <@${approval.deniedBy}>.`;
    case 'expired':
      return `This request expired. Ask again with \`/ops ${approval.commandText}\`.`;
    default:
      if (approval.expiresAt.getTime() <= Date.now())
        return `This request expired. Ask again with \`/ops ${approval.commandText}\`.`;
      if (approval.approvedBy.includes(userId))
        return `You already approved this; it needs ${approval.requiredCount - approval.approvedBy.length} more approval(s) from someone else.`;
      return 'This request can no longer be approved.';
  }
}
