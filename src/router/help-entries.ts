import type { AccessPolicy } from '../access/policy.js';
import type { CommandDefinition } from '../core/command.js';
import type { HelpEntry } from '../../views/help.js';
import { formatDuration } from '../duration.js';
import { usageLine } from './registry.js';

/** What help shows for one command, including who may run it under the current access rules. */
export function helpEntry(command: CommandDefinition, access: AccessPolicy): HelpEntry {
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
