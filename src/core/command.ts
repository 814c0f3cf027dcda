import type { z } from 'zod';
import type { Reply } from './reply.js';
import type { CommandContext } from './context.js';
import type { JobDefinition } from './job.js';
import type { Plan } from './plan.js';

export type { Plan, PlanTarget, Precondition } from './plan.js';

/** read: looks only; write: changes something reversible; dangerous: always behind the approval gate. */
export type Risk = 'read' | 'write' | 'dangerous';

/** A job the router should enqueue instead of replying directly (long work). */
export interface JobRequest {
  job: { name: string; data: Record<string, unknown>; title: string };
}

export type CommandResult = Reply | JobRequest;

export function isJobRequest(result: CommandResult): result is JobRequest {
  return 'job' in result;
}

// `any` here lets one registry hold commands whose argument types all differ.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyArgsSchema = z.ZodObject<any>;

/** What every command has: the router builds help, usage errors and argument parsing from these fields. */
interface CommandBase<S extends AnyArgsSchema> {
  /** The words the user types after /ops, e.g. "db slow". */
  name: string;
  summary: string;
  /** Usage after the name: "[env] [--by mean|total] [--limit 10]". */
  usage: string;
  examples?: string[];
  /** Takes an optional environment name as the first word (or --env); default true. */
  env?: boolean;
  /** Positional argument names in order; a last name starting with "..." takes the rest of the words. */
  positionals?: string[];
  /** Validates positionals and flags together; boolean fields are flags without a value. */
  args: S;
  /** Job handlers this command enqueues. */
  jobs?: JobDefinition[];
}

/** A command that just runs: reads, and reversible writes that never need approval on their own. */
export interface DirectCommand<S extends AnyArgsSchema = AnyArgsSchema> extends CommandBase<S> {
  risk: 'read' | 'write';
  run(ctx: CommandContext, args: z.output<S>): Promise<CommandResult>;
  plan?: never;
  execute?: never;
  needsApproval?: never;
}

/**
 * A command that may be gated: planned once (at request time) into a
 * serialisable Plan, then executed from that plan and nothing else — at once
 * when no approval is needed, or after the approval, from the stored plan.
 * Every dangerous command and every command with `needsApproval` is one of these.
 */
export interface PlannedCommand<
  S extends AnyArgsSchema = AnyArgsSchema,
  D = Record<string, unknown>,
> extends CommandBase<S> {
  risk: Risk;
  /** Resolves the concrete targets and the preconditions; a plan that cannot be made throws a UserError (no card). */
  plan(ctx: CommandContext, args: z.output<S>): Promise<Plan<D>>;
  /** Runs exactly this plan, checking its preconditions against live state first (or in the job it starts). */
  execute(ctx: CommandContext, plan: Plan<D>): Promise<CommandResult>;
  /** For commands that are risky only sometimes (scaling down): true sends this plan through the approval gate. */
  needsApproval?(plan: Plan<D>): boolean;
  run?: never;
}

/**
 * One /ops subcommand. The union is discriminated by `plan`: a definition with
 * `risk: 'dangerous'` or `needsApproval` but no plan/execute does not type-check,
 * and the registry refuses one at start-up too.
 */
// `any` for the plan data lets one registry hold commands whose plans all differ.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandDefinition<S extends AnyArgsSchema = AnyArgsSchema, D = any> =
  DirectCommand<S> | PlannedCommand<S, D>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isPlanned(command: CommandDefinition): command is PlannedCommand<AnyArgsSchema, any> {
  return typeof (command as PlannedCommand).plan === 'function';
}

export function defineCommand<S extends AnyArgsSchema>(definition: DirectCommand<S>): DirectCommand<S>;
export function defineCommand<S extends AnyArgsSchema, D>(definition: PlannedCommand<S, D>): PlannedCommand<S, D>;
export function defineCommand<S extends AnyArgsSchema, D>(
  definition: DirectCommand<S> | PlannedCommand<S, D>,
): DirectCommand<S> | PlannedCommand<S, D> {
  return definition;
}

/** Why a definition cannot be registered, or undefined: a gated command must have plan and execute, and no run. */
export function planProblem(command: CommandDefinition): string | undefined {
  const c = command as Partial<PlannedCommand> & Partial<DirectCommand>;
  const gated = (c.risk as Risk | undefined) === 'dangerous' || typeof c.needsApproval === 'function';
  if (typeof c.plan === 'function' || typeof c.execute === 'function') {
    if (typeof c.plan !== 'function' || typeof c.execute !== 'function')
      return `command "${command.name}" must define both plan and execute`;
    if (typeof c.run === 'function') return `command "${command.name}" defines run as well as plan/execute`;
    return undefined;
  }
  if (gated) return `command "${command.name}" is gated (dangerous or needsApproval) but has no plan/execute`;
  if (typeof c.run !== 'function') return `command "${command.name}" has no run`;
  return undefined;
}
