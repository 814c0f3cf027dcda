import type { AccessRule } from '../config/schema.js';
import type { CommandContext } from '../core/context.js';
import type { Reply } from '../core/reply.js';

export interface ApprovalRequest {
  ctx: CommandContext;
  args: Record<string, unknown>;
  /** The matching access rule; its `approval` says who approves, how many and for how long. */
  rule?: AccessRule;
}

/**
 * The router hands every dangerous command (and every command whose rule asks
 * for approval) to this gate instead of running it.
 */
export interface ApprovalGate {
  request(request: ApprovalRequest): Promise<Reply>;
}
