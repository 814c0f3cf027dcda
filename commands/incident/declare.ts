import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { UserError } from '../../src/errors.js';
import { parseUserMention } from './args.js';
import { SEVERITIES, isSeverity } from '../../src/core/severity.js';
import type { Severity } from '../../src/core/severity.js';
import { renderAlreadyDeclared, renderDeclared } from '../../views/incident-messages.js';
import { renderDeclareModal } from '../../views/incident-modals.js';
import { section } from '../../views/blocks.js';

const USAGE = '[env] <P0-P4> <title> [--owner @someone]';

export const incidentDeclare = defineCommand({
  name: 'incident declare',
  summary: 'Declare an incident: its own channel, a pinned card, the on-call role invited, a response target',
  usage: USAGE,
  examples: [
    'incident declare P1 Checkout is failing',
    'incident declare prod P0 Site down --owner @alice',
    'incident declare',
  ],
  risk: 'write',
  positionals: ['severity', '...title'],
  args: z.object({ severity: z.string().optional(), title: z.string().optional(), owner: z.string().optional() }),
  async run(ctx, args) {
    if (!args.severity && !args.title) {
      if (ctx.source !== 'slack' || !ctx.triggerId)
        throw new UserError('Say how severe and what is wrong.', `Usage: \`/ops incident declare ${USAGE}\``);
      // The modal's key is the trigger_id of this command, so a double submit declares once.
      const metadata = JSON.stringify({ key: ctx.triggerId, channel: ctx.channelId });
      const severities = SEVERITIES.map((level) => ({ level, label: ctx.config.incidents.severities[level].label }));
      const modal = renderDeclareModal(severities, Object.keys(ctx.config.environments), metadata);
      return {
        text: 'Opening the incident form…',
        ephemeral: true,
        blocks: [section('Opening the incident form…')],
        modal,
      };
    }
    if (!isSeverity(args.severity)) {
      throw new UserError(
        `Start with the severity: \`${args.severity}\` is not one of ${SEVERITIES.join(', ')}.`,
        `Usage: \`/ops incident declare ${USAGE}\`, e.g. \`/ops incident declare P1 Checkout is failing\``,
      );
    }
    if (!args.title)
      throw new UserError(
        'The incident needs a title: what is wrong, in a few words.',
        `Usage: \`/ops incident declare ${USAGE}\``,
      );
    const declared = await ctx.services.incidents.declare({
      key: ctx.triggerId,
      title: args.title.slice(0, 150),
      severity: args.severity.toUpperCase() as Severity,
      env: ctx.envName,
      ownerId: args.owner ? parseUserMention(args.owner) : undefined,
      actorId: ctx.actor.id,
      originChannelId: ctx.channelId,
    });
    return declared.duplicate
      ? renderAlreadyDeclared(declared.incident)
      : renderDeclared(declared.incident, declared.problems);
  },
});
