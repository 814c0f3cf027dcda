import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg } from './args.js';
import { humanDuration, incidentRef } from '../../views/incident-card.js';
import { renderIncidentDone } from '../../views/incident-messages.js';

export const incidentResolve = defineCommand({
  name: 'incident resolve',
  summary: 'Resolve the incident: records the response times and attaches a postmortem draft',
  usage: '<summary> [--id <n>]',
  examples: ['incident resolve Rolled back the bad deploy; error rate normal for 30 minutes'],
  risk: 'write',
  env: false,
  positionals: ['...summary'],
  args: z.object({ summary: z.string().min(1), id: incidentIdArg }),
  async run(ctx, { summary, id }) {
    const { incidents } = ctx.services;
    const target = await incidents.target({ id, channelId: ctx.channelId });
    const { incident, effects } = await incidents.resolve(target.id, ctx.actor.id, summary);
    await effects;
    const took = incident.resolvedAt
      ? humanDuration(incident.resolvedAt.getTime() - incident.declaredAt.getTime())
      : '?';
    return renderIncidentDone(
      `Resolved *${incidentRef(incident)}* after ${took}; the postmortem draft is in ${incident.channelId ? `<#${incident.channelId}>` : 'the incident thread'}.`,
    );
  },
});
