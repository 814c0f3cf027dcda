import { UserError, isUserError, newErrorRef } from '../errors.js';
import type { OpsConfig } from '../config/schema.js';
import type { Services } from '../core/services.js';
import { environmentHelpers, type CommandContext } from '../core/context.js';
import type { CommandMetrics, CommandRunner, DispatchResult, Invocation } from '../core/runner.js';
import type { CommandRegistry } from './registry.js';
import { isJobRequest, type CommandDefinition } from '../core/command.js';
import type { AuditOutcome } from '../store/audit.js';
import type { Reply } from '../core/reply.js';
import { renderFailure, renderUserError } from '../../views/errors.js';
import { renderCommandHelp } from '../../views/help.js';
import { helpEntry } from './help-entries.js';
import { bindArgs } from './bind-args.js';
import { tokenize } from './tokenize.js';

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

/**
 * The /ops router, shared by Slack and the terminal: words → command, access
 * check, approval gate, handler, audit and metrics. It never talks to Slack.
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

  async dispatch(inv: Invocation): Promise<DispatchResult> {
    const started = performance.now();
    let command: CommandDefinition | undefined;
    let envName: string | undefined;
    let outcome: AuditOutcome = 'ok';
    let errorRef: string | undefined;
    let detail: Record<string, unknown> = {};
    try {
      const words = tokenize(inv.text);
      const resolved = this.registry.resolve(words.length ? words : ['help']);
      if (!resolved) throw this.unknownCommand(words);
      command = resolved.command;
      const bound = bindArgs(command, resolved.rest, this.config);
      envName = bound.envName;
      if (bound.help) {
        outcome = 'help';
        return { kind: 'reply', reply: this.helpFor(command), commandName: command.name };
      }
      const ctx: CommandContext = {
        command,
        text: inv.text.trim(),
        envName: bound.envName,
        env: this.config.environments[bound.envName],
        config: this.config,
        actor: inv.actor,
        channelId: inv.channelId,
        triggerId: inv.triggerId,
        source: inv.source,
        log: inv.log.child({ command: command.name, env: bound.envName }),
        services: this.services,
        ...environmentHelpers(this.services, bound.envName, this.config.environments[bound.envName]),
      };

      const decision = await this.services.access.check(inv.actor.id, command.name);
      if (!decision.allowed) {
        outcome = 'denied';
        throw new UserError(decision.reason);
      }
      if (inv.approved) {
        detail = { approvalId: inv.approved.approvalId, approvedBy: inv.approved.approvedBy };
      } else if (
        command.risk === 'dangerous' ||
        decision.rule?.approval ||
        (await command.needsApproval?.(ctx, bound.args))
      ) {
        if (inv.source === 'cli') {
          if (!inv.confirmed)
            throw new UserError(
              `\`${command.name}\` is dangerous: from a terminal it runs only with --yes, and is audited as such.`,
              `opsbot run "${ctx.text}" --yes`,
            );
          detail = { confirmedInTerminal: true };
        } else {
          // No approval card without its row: say so at once instead of waiting for the write to fail.
          if (this.store && !this.store.isUp) throw new StoreDown();
          outcome = 'approval_requested';
          return {
            kind: 'reply',
            reply: await this.services.approvals.request({ ctx, args: bound.args, rule: decision.rule }),
            commandName: command.name,
          };
        }
      }

      const result = await boundWhileStoreDown(this.store, () => command!.run(ctx, bound.args));
      if (isJobRequest(result)) {
        outcome = 'queued';
        return { kind: 'job', request: result, ctx };
      }
      return { kind: 'reply', reply: result, commandName: command.name };
    } catch (err) {
      if (err instanceof StoreDown || (this.store && !this.store.isUp && !isUserError(err))) {
        outcome = 'error';
        inv.log.warn({ err, command: command?.name }, 'command refused or cut short: the store is down');
        return { kind: 'reply', reply: renderUserError(STORE_DOWN, STORE_DOWN_HINT), commandName: command?.name };
      }
      if (isUserError(err)) {
        if (outcome !== 'denied') outcome = 'user_error';
        return { kind: 'reply', reply: renderUserError(err.message, err.hint), commandName: command?.name };
      }
      outcome = 'error';
      errorRef = newErrorRef();
      inv.log.error({ err, ref: errorRef, command: command?.name, text: inv.text }, 'command failed');
      return { kind: 'reply', reply: renderFailure(command?.name, errorRef), commandName: command?.name };
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const name = command?.name ?? 'unknown';
      this.metrics.commands.inc({ command: name, outcome });
      this.metrics.commandSeconds.observe({ command: name }, seconds);
      // Awaited: the audit row exists (or is spooled, when Postgres does not answer in time) before the reply.
      await this.services.audit
        .record({
          actorId: inv.actor.id,
          actorName: inv.actor.name,
          source: inv.source,
          channelId: inv.channelId,
          command: command?.name,
          text: inv.text,
          env: envName,
          outcome,
          durationMs: Math.round(seconds * 1000),
          errorRef,
          detail,
        })
        .catch((err) => inv.log.error({ err }, 'audit write failed'));
      if (inv.channelId && command && outcome !== 'help') {
        void this.services.activity.record({
          channelId: inv.channelId,
          kind: 'command',
          actorId: inv.actor.id,
          text: `/ops ${inv.text.trim()}`,
          detail: { command: command.name, outcome, env: envName },
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
