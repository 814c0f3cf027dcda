import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg } from './args.js';
import { renderIncidentTimeline } from '../../views/incident-timeline.js';

export const incidentTimeline = defineCommand({
  name: 'incident timeline',
  summary: 'Show what happened during the incident, in order',
  usage: '[--id <n>]',
  examples: ['incident timeline', 'incident timeline --id 12'],
  risk: 'read',
  env: false,
  args: z.object({ id: incidentIdArg }),
  async run(ctx, { id }) {
    const { incidents } = ctx.services;
    const incident = await incidents.target({ id, channelId: ctx.channelId });
    return renderIncidentTimeline(incident, await incidents.timeline(incident.id), ctx.config.timezone);
  },
});
