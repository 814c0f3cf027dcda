import type { Logger } from '../log.js';
import type { JobRequest } from './command.js';
import type { Plan } from './plan.js';
import type { Actor, CommandContext } from './context.js';
import type { Reply } from './reply.js';

export interface Invocation {
  text: string;
  actor: Actor;
  channelId?: string;
  /** Slack's trigger_id, valid for 3 s: lets a command open a modal. */
  triggerId?: string;
  source: 'slack' | 'cli';
  /** Terminal only: --yes runs a dangerous command without the approval gate (audited as such). */
  confirmed?: boolean;
  log: Logger;
}

/** An approved plan to run as its requester: the command is never planned again. */
export interface PlanExecution {
  /** The registered command name, e.g. "rollback". */
  command: string;
  plan: Plan;
  /** The text it was asked with (for the audit trail and ctx.text). */
  text: string;
  actor: Actor;
  channelId?: string;
  source: 'slack' | 'cli';
  approved: { approvalId: string; approvedBy: string[] };
  log: Logger;
}

export type DispatchResult =
  { kind: 'reply'; reply: Reply; commandName?: string } | { kind: 'job'; request: JobRequest; ctx: CommandContext };

/**
 * Runs /ops command text as someone (a checklist's Run button, an alert's
 * button), or an approved plan as its requester. The router implements it.
 */
export interface CommandRunner {
  dispatch(inv: Invocation): Promise<DispatchResult>;
  /** Executes a stored plan of a named command as its requester: context built, access re-checked, audited. */
  executePlan(execution: PlanExecution): Promise<DispatchResult>;
  /** Whether the text names a registered command (a checklist item's Run button is shown only then). */
  knows(text: string): boolean;
}

/** Counts and times commands (prom-client's Counter and Histogram fit it). */
export interface CommandMetrics {
  commands: { inc(labels: { command: string; outcome: string }): void };
  commandSeconds: { observe(labels: { command: string }, seconds: number): void };
}

/**
 * Starts a job asked for in Slack: posts its progress message, then enqueues
 * it. Returns the job id, and a note for the requester when the channel could not be used.
 */
export interface JobLauncher {
  start(request: JobRequest, ctx: CommandContext): Promise<{ jobId: string; note?: Reply }>;
}

/**
 * The router needs the services that need the router (approvals run approved
 * commands, checklists run their items). The composition root hands those
 * services this runner and binds it once the router exists.
 */
export class DeferredCommandRunner implements CommandRunner {
  private target?: CommandRunner;

  bind(target: CommandRunner): void {
    if (this.target) throw new Error('the command runner is bound already');
    this.target = target;
  }

  dispatch(inv: Invocation): Promise<DispatchResult> {
    return this.bound().dispatch(inv);
  }

  executePlan(execution: PlanExecution): Promise<DispatchResult> {
    return this.bound().executePlan(execution);
  }

  knows(text: string): boolean {
    return this.bound().knows(text);
  }

  private bound(): CommandRunner {
    if (!this.target) throw new Error('the command runner was used before the router was built (see src/runtime.ts)');
    return this.target;
  }
}
