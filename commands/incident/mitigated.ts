import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg } from './args.js';
import { humanDuration, incidentRef } from '../../views/incident-card.js';
import { renderIncidentDone } from '../../views/incident-messages.js';

export const incidentMitigated = defineCommand({
  name: 'incident mitigated',
  summary: 'Record that the impact is mitigated (time to mitigate), with an optional update',
  usage: '[text] [--id <n>]',
  examples: ['incident mitigated Failed over to the replica'],
  risk: 'write',
  env: false,
  positionals: ['...text'],
  args: z.object({ text: z.string().optional(), id: incidentIdArg }),
  async run(ctx, { text, id }) {
    const { incidents } = ctx.services;
    const target = await incidents.target({ id, channelId: ctx.channelId });
    const { incident, effects } = await incidents.update(target.id, ctx.actor.id, text ?? 'impact mitigated', {
      mitigated: true,
    });
    await effects;
    const took = incident.mitigatedAt
      ? humanDuration(incident.mitigatedAt.getTime() - incident.declaredAt.getTime())
      : '?';
    return renderIncidentDone(`*${incidentRef(incident)}* mitigated ${took} after it was declared.`);
  },
});
