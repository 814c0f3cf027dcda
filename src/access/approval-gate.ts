import { UserError } from '../errors.js';
import type { AccessRule } from '../config/schema.js';
import type { CommandContext } from '../commands/context.js';
import type { Reply } from '../../views/reply.js';

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

/** Until a gate is plugged in, dangerous commands are refused in Slack and need --yes in a terminal. */
export const noApprovalGate: ApprovalGate = {
  async request({ ctx }) {
    throw new UserError(
      `\`${ctx.command.name}\` needs a second person's approval, and no approval gate is configured in this opsbot.`,
      `An operator can run it from a terminal, where it is audited: \`opsbot run "${ctx.text}" --yes\``,
    );
  },
};
