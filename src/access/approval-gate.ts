import type { AccessRule } from '../config/schema.js';
import type { CommandContext } from '../core/context.js';
import type { Reply } from '../core/reply.js';
import type { Plan } from '../core/plan.js';

export interface ApprovalRequest {
  ctx: CommandContext;
  /** Planned at request time; stored with the request and the only thing an approval can run. */
  plan: Plan;
  /** The matching access rule; its `approval` says who approves, how many and for how long. */
  rule?: AccessRule;
}

/**
 * The router hands every dangerous command (and every command whose rule asks
 * for approval) to this gate instead of running it.
 */
export interface ApprovalGate {
  request(request: ApprovalRequest): Promise<Reply>;
  /**
   * A job started from an approved plan has finished: the card's buttons are
   * already gone; its outcome line now says how it ended, and the audit trail records it.
   */
  settle?(approvalId: string, outcome: ApprovedOutcome): Promise<void>;
}

export interface ApprovedOutcome {
  ok: boolean;
  /** What happened, in one or two lines (the job's result or why nothing was changed). */
  text: string;
  /** Live state no longer matched the plan, so nothing was changed. */
  planChanged?: boolean;
}
