import { UserError, isPlanChanged, isUserError, newErrorRef } from '../errors.js';
import type { OpsConfig } from '../config/schema.js';
import type { Services } from '../core/services.js';
import { environmentHelpers, type Actor, type CommandContext } from '../core/context.js';
import type { CommandMetrics, CommandRunner, DispatchResult, Invocation, PlanExecution } from '../core/runner.js';
import type { CommandRegistry } from './registry.js';
import { isJobRequest, isPlanned, type CommandDefinition, type CommandResult } from '../core/command.js';
import type { AuditOutcome } from '../store/audit.js';
import type { Logger } from '../log.js';
import type { Reply } from '../core/reply.js';
import { renderFailure, renderUserError } from '../../views/errors.js';
import { renderCommandHelp } from '../../views/help.js';
import { helpEntry } from './help-entries.js';
import { bindArgs } from './bind-args.js';
import { tokenize } from './tokenize.js';
import { executePlan, planFor, planNeedsApproval } from './plans.js';

export type { DispatchResult, Invocation } from '../core/runner.js';

/** The bot's own database, as the dispatcher sees it (StoreHealth). */
export interface StoreStatus {
  readonly isUp: boolean;
}

export const STORE_DOWN = "opsbot's database is unreachable: audit and approvals are paused";
const STORE_DOWN_HINT =
  'Commands that need no database of opsbot (help, health, status, db diagnostics) still work. Try again when it is back.';
/** While the store is down, a command gets this long before the reply says so (Slack users wait; work goes on). */
export const STORE_DOWN_BOUND_MS = 2500;

class StoreDown extends Error {}

async function boundWhileStoreDown<T>(store: StoreStatus | undefined, work: () => Promise<T>): Promise<T> {
  if (!store || store.isUp) return work();
  let timer: NodeJS.Timeout | undefined;
  const running = work();
  running.catch(() => undefined); // a late failure after the bound has already been answered
  try {
    return await Promise.race([
      running,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StoreDown()), STORE_DOWN_BOUND_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What one dispatch learns as it goes, for the audit row, metrics and activity written at the end. */

/** What one dispatch learns as it goes, for the audit row, metrics and activity written at the end. */
interface Tracked {
  command?: CommandDefinition;
  envName?: string;
  outcome: AuditOutcome;
  errorRef?: string;
  detail: Record<string, unknown>;
}

interface Caller {
  text: string;
  actor: Actor;
  channelId?: string;
  source: 'slack' | 'cli';
  log: Logger;
}

/**
 * The /ops router, shared by Slack and the terminal: words → command, access
 * check, plan, approval gate, execution, audit and metrics. It never talks to Slack.
 */
export class Dispatcher implements CommandRunner {
  constructor(
    private readonly config: OpsConfig,
    private readonly registry: CommandRegistry,
    private readonly services: Services,
    private readonly metrics: CommandMetrics,
    /** When given and down: approvals are refused and commands are bounded, with a reply that says why. */
    private readonly store?: StoreStatus,
  ) {}

  knows(text: string): boolean {
    return Boolean(this.registry.resolve(tokenize(text)));
  }

  dispatch(inv: Invocation): Promise<DispatchResult> {
    return this.tracked(inv, async (t) => {
      const words = tokenize(inv.text);
      const resolved = this.registry.resolve(words.length ? words : ['help']);
      if (!resolved) throw this.unknownCommand(words);
      const command = (t.command = resolved.command);
      const bound = bindArgs(command, resolved.rest, this.config);
      t.envName = bound.envName;
      if (bound.help) {
        t.outcome = 'help';
        return { kind: 'reply', reply: this.helpFor(command), commandName: command.name };
      }
      const ctx = this.context(command, bound.envName, inv);
      const decision = await this.services.access.check(inv.actor.id, command.name);
      if (!decision.allowed) {
        t.outcome = 'denied';
        throw new UserError(decision.reason);
      }
      const ruleGated = Boolean(decision.rule?.approval);
      if (!isPlanned(command) && !ruleGated)
        return this.finish(t, ctx, await boundWhileStoreDown(this.store, () => command.run(ctx, bound.args)));

      // Planned once, here; a plan that cannot be made is refused now, before any card.
      const plan = await planFor(command, ctx, bound.args);
      t.detail = { plan };
      const gated = command.risk === 'dangerous' || ruleGated || planNeedsApproval(command, plan);
      if (gated && inv.source === 'cli') {
        if (!inv.confirmed)
          throw new UserError(
            `\`${command.name}\` is dangerous: from a terminal it runs only with --yes, and is audited as such.`,
            `opsbot run "${ctx.text}" --yes`,
          );
        t.detail = { plan, confirmedInTerminal: true };
      } else if (gated) {
        // No approval card without its row: say so at once instead of waiting for the write to fail.
        if (this.store && !this.store.isUp) throw new StoreDown();
        t.outcome = 'approval_requested';
        const reply = await this.services.approvals.request({ ctx, plan, rule: decision.rule });
        return { kind: 'reply', reply, commandName: command.name };
      }
      return this.finish(t, ctx, await boundWhileStoreDown(this.store, () => executePlan(command, ctx, plan)));
    });
  }

  executePlan(execution: PlanExecution): Promise<DispatchResult> {
    return this.tracked(execution, async (t) => {
      const { plan } = execution;
      t.detail = { approvalId: execution.approved.approvalId, approvedBy: execution.approved.approvedBy, plan };
      t.envName = plan.env;
      const command = this.registry.get(execution.command);
      if (!command) throw new UserError(`\`${execution.command}\` is no longer an opsbot command, so nothing was run.`);
      t.command = command;
      if (!this.config.environments[plan.env])
        throw new UserError(`Environment \`${plan.env}\` is no longer configured, so nothing was run.`);
      const ctx = this.context(command, plan.env, execution);
      // Access is checked again: the requester may have lost the role while the request waited.
      const decision = await this.services.access.check(execution.actor.id, command.name);
      if (!decision.allowed) {
        t.outcome = 'denied';
        throw new UserError(`${decision.reason} Nothing was run.`);
      }
      return this.finish(t, ctx, await executePlan(command, ctx, plan));
    });
  }

  private finish(t: Tracked, ctx: CommandContext, result: CommandResult): DispatchResult {
    if (isJobRequest(result)) {
      t.outcome = 'queued';
      return { kind: 'job', request: result, ctx };
    }
    return { kind: 'reply', reply: result, commandName: ctx.command.name };
  }

  private context(
    command: CommandDefinition,
    envName: string,
    caller: Caller & { triggerId?: string },
  ): CommandContext {
    const env = this.config.environments[envName];
    return {
      command,
      text: caller.text.trim(),
      envName,
      env,
      config: this.config,
      actor: caller.actor,
      channelId: caller.channelId,
      triggerId: caller.triggerId,
      source: caller.source,
      log: caller.log.child({ command: command.name, env: envName }),
      services: this.services,
      ...environmentHelpers(this.services, envName, env),
    };
  }

  /** Runs body, turning errors into replies, then writes the audit row (awaited), metrics and activity. */
  private async tracked(caller: Caller, body: (t: Tracked) => Promise<DispatchResult>): Promise<DispatchResult> {
    const started = performance.now();
    const t: Tracked = { outcome: 'ok', detail: {} };
    try {
      return await body(t);
    } catch (err) {
      const name = t.command?.name;
      if (err instanceof StoreDown || (this.store && !this.store.isUp && !isUserError(err))) {
        t.outcome = 'error';
        caller.log.warn({ err, command: name }, 'command refused or cut short: the store is down');
        return { kind: 'reply', reply: renderUserError(STORE_DOWN, STORE_DOWN_HINT), commandName: name };
      }
      if (isUserError(err)) {
        if (isPlanChanged(err)) t.outcome = 'plan_changed';
        else if (t.outcome !== 'denied') t.outcome = 'user_error';
        t.detail = { ...t.detail, reason: err.message };
        return { kind: 'reply', reply: renderUserError(err.message, err.hint), commandName: name };
      }
      t.outcome = 'error';
      t.errorRef = newErrorRef();
      caller.log.error({ err, ref: t.errorRef, command: name, text: caller.text }, 'command failed');
      return { kind: 'reply', reply: renderFailure(name, t.errorRef), commandName: name };
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const name = t.command?.name ?? 'unknown';
      this.metrics.commands.inc({ command: name, outcome: t.outcome });
      this.metrics.commandSeconds.observe({ command: name }, seconds);
      // Awaited: the audit row exists before the reply is shown.
      await this.services.audit
        .record({
          actorId: caller.actor.id,
          actorName: caller.actor.name,
          source: caller.source,
          channelId: caller.channelId,
          command: t.command?.name,
          text: caller.text,
          env: t.envName,
          outcome: t.outcome,
          durationMs: Math.round(seconds * 1000),
          errorRef: t.errorRef,
          detail: t.detail,
        })
        .catch((err) => caller.log.error({ err }, 'audit write failed'));
      if (caller.channelId && t.command && t.outcome !== 'help') {
        void this.services.activity.record({
          channelId: caller.channelId,
          kind: 'command',
          actorId: caller.actor.id,
          text: `/ops ${caller.text.trim()}`,
          detail: { command: t.command.name, outcome: t.outcome, env: t.envName },
        });
      }
    }
  }

  private helpFor(command: CommandDefinition): Reply {
    return renderCommandHelp(helpEntry(command, this.services.access));
  }

  private unknownCommand(words: string[]): UserError {
    const registry = this.registry;
    const topic = registry.withPrefix(words.slice(0, 1));
    if (topic.length > 0 && words.length <= 1) {
      return new UserError(
        `\`/ops ${words[0]}\` needs a subcommand:`,
        topic.map((c) => `\`/ops ${c.name}\` — ${c.summary}`).join('\n'),
      );
    }
    const typed = words.slice(0, 2).join(' ');
    const suggestion = registry.suggest(words);
    return new UserError(
      `\`${typed}\` is not an opsbot command.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
      suggestion
        ? `Usage: \`/ops ${suggestion} ${registry.get(suggestion)?.usage ?? ''}\`\nAll commands: \`/ops help\``
        : 'All commands: `/ops help`',
    );
  }
}
