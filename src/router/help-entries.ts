import type { AccessControl } from '../access/policy.js';
import type { CommandDefinition } from '../core/command.js';
import type { HelpCatalog, HelpEntry } from '../core/help.js';
import { formatDuration } from '../duration.js';
import { usageLine, type CommandRegistry } from './registry.js';

/** What help shows for one command, including who may run it under the current access rules. */
export function helpEntry(command: CommandDefinition, access: AccessControl): HelpEntry {
  const rule = access.ruleFor(command.name);
  const notes: string[] = [];
  if (rule?.allow) notes.push(`only ${rule.allow.join(', ')}`);
  if (rule?.approval) {
    notes.push(
      `needs approval by ${rule.approval.count > 1 ? `${rule.approval.count} of ` : ''}${rule.approval.approvers.join(', ')} within ${formatDuration(rule.approval.expires)}`,
    );
  } else if (command.risk === 'dangerous') {
    notes.push('needs approval by a second person');
  }
  return {
    name: command.name,
    summary: command.summary,
    usage: usageLine(command),
    risk: command.risk,
    examples: command.examples,
    access: notes.join('; ') || undefined,
  };
}

/** /ops help's view of the command table: entries with the access notes of the current rules. */
export function helpCatalog(registry: CommandRegistry, access: AccessControl): HelpCatalog {
  return {
    all: () => registry.all().map((c) => helpEntry(c, access)),
    get: (name) => {
      const command = registry.get(name);
      return command ? helpEntry(command, access) : undefined;
    },
    withPrefix: (words) => registry.withPrefix(words).map((c) => helpEntry(c, access)),
    suggest: (words) => registry.suggest(words),
  };
}
