import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg } from './args.js';
import { incidentRef } from '../../views/incident-card.js';
import { renderIncidentDone } from '../../views/incident-messages.js';

export const incidentAck = defineCommand({
  name: 'incident ack',
  summary: 'Acknowledge the incident (stops the escalation timer; you become owner if there is none)',
  usage: '[--id <n>]',
  examples: ['incident ack', 'incident ack --id 12'],
  risk: 'write',
  env: false,
  args: z.object({ id: incidentIdArg }),
  async run(ctx, { id }) {
    const { incidents } = ctx.services;
    const target = await incidents.target({ id, channelId: ctx.channelId });
    const { incident, effects } = await incidents.acknowledge(target.id, ctx.actor.id);
    await effects;
    return renderIncidentDone(`Acknowledged *${incidentRef(incident)}* ${incident.title}.`);
  },
});
