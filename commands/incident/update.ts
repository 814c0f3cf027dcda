import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg } from './args.js';
import { incidentRef } from '../../views/incident-card.js';
import { renderIncidentDone } from '../../views/incident-messages.js';

export const incidentUpdate = defineCommand({
  name: 'incident update',
  summary: 'Post a status update to the incident channel and the announcement thread',
  usage: '<text> [--mitigated] [--id <n>]',
  examples: [
    'incident update Rolled back to v41, watching error rates',
    'incident update --mitigated Traffic moved to the standby',
  ],
  risk: 'write',
  env: false,
  positionals: ['...text'],
  args: z.object({ text: z.string().min(1), mitigated: z.boolean().optional(), id: incidentIdArg }),
  async run(ctx, { text, mitigated, id }) {
    const { incidents } = ctx.services;
    const target = await incidents.target({ id, channelId: ctx.channelId });
    const { incident, effects } = await incidents.update(target.id, ctx.actor.id, text, {
      mitigated: mitigated ?? false,
    });
    await effects;
    return renderIncidentDone(
      `Posted ${mitigated ? 'the mitigation' : 'the update'} on *${incidentRef(incident)}*${incident.channelId && incident.channelId !== ctx.channelId ? ` in <#${incident.channelId}>` : ''}.`,
    );
  },
});
