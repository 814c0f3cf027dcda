import type { z } from 'zod';
import type { Reply } from './reply.js';
import type { CommandContext } from './context.js';
import type { JobDefinition } from './job.js';

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

/**
 * One /ops subcommand: data plus a handler. The router builds help, usage
 * errors and argument parsing from these fields; nothing else lists commands.
 */
export interface CommandDefinition<S extends AnyArgsSchema = AnyArgsSchema> {
  /** The words the user types after /ops, e.g. "db slow". */
  name: string;
  summary: string;
  /** Usage after the name: "[env] [--by mean|total] [--limit 10]". */
  usage: string;
  examples?: string[];
  risk: Risk;
  /** Takes an optional environment name as the first word (or --env); default true. */
  env?: boolean;
  /** Positional argument names in order; a last name starting with "..." takes the rest of the words. */
  positionals?: string[];
  /** Validates positionals and flags together; boolean fields are flags without a value. */
  args: S;
  run(ctx: CommandContext, args: z.output<S>): Promise<CommandResult>;
  /** Dangerous commands: the concrete effect for the approval card, computed at request time. */
  describeEffect?(ctx: CommandContext, args: z.output<S>): Promise<string>;
  /**
   * For commands that are risky only sometimes (scaling down): true sends this
   * request through the approval gate, like a dangerous command.
   */
  needsApproval?(ctx: CommandContext, args: z.output<S>): Promise<boolean>;
  /** Job handlers this command enqueues. */
  jobs?: JobDefinition[];
}

export function defineCommand<S extends AnyArgsSchema>(definition: CommandDefinition<S>): CommandDefinition<S> {
  return definition;
}
