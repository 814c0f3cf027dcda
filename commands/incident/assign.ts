import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg, parseUserMention } from './args.js';
import { incidentRef, who } from '../../views/incident-card.js';
import { renderIncidentDone } from '../../views/incident-messages.js';

export const incidentAssign = defineCommand({
  name: 'incident assign',
  summary: 'Make someone the owner of the incident',
  usage: '@someone [--id <n>]',
  examples: ['incident assign @alice'],
  risk: 'write',
  env: false,
  positionals: ['user'],
  args: z.object({ user: z.string(), id: incidentIdArg }),
  async run(ctx, { user, id }) {
    const ownerId = parseUserMention(user);
    const { incidents } = ctx.services;
    const target = await incidents.target({ id, channelId: ctx.channelId });
    const { incident, effects } = await incidents.assign(target.id, ctx.actor.id, ownerId);
    await effects;
    return renderIncidentDone(`${who(ownerId)} now owns *${incidentRef(incident)}*.`);
  },
});
