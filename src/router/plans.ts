import { isPlanned, type CommandDefinition, type CommandResult, type Plan } from '../core/command.js';
import type { CommandContext } from '../core/context.js';

/**
 * The plan for any command. Planned commands make their own; a direct command
 * that an access rule gates gets a plan of its resolved arguments, so the
 * approval still runs those arguments and never re-reads the typed text.
 */
export async function planFor(
  command: CommandDefinition,
  ctx: CommandContext,
  args: Record<string, unknown>,
): Promise<Plan> {
  if (isPlanned(command)) return command.plan(ctx, args);
  return {
    command: command.name,
    env: ctx.envName,
    args,
    summary: `/ops ${ctx.text}`,
    effects: [`runs \`/ops ${command.name}\` in ${ctx.envName} with ${describeArgs(args)}`],
    targets: [],
    preconditions: [],
    data: {},
    plannedAt: ctx.services.clock().toISOString(),
  };
}

/** Executes a plan made by planFor. */
export function executePlan(command: CommandDefinition, ctx: CommandContext, plan: Plan): Promise<CommandResult> {
  if (isPlanned(command)) return command.execute(ctx, plan);
  return command.run(ctx, plan.args);
}

/** Whether the plan itself asks for approval (scaling down). */
export function planNeedsApproval(command: CommandDefinition, plan: Plan): boolean {
  return isPlanned(command) && command.needsApproval ? command.needsApproval(plan) : false;
}

function describeArgs(args: Record<string, unknown>): string {
  const set = Object.entries(args).filter(([, v]) => v !== undefined);
  return set.length ? set.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') : 'no arguments';
}
