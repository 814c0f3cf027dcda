import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg } from './args.js';
import { incidentRef } from '../../views/incident-card.js';
import { renderIncidentDone } from '../../views/incident-messages.js';

export const incidentNote = defineCommand({
  name: 'incident note',
  summary: 'Add a note to the timeline ("action: …" notes become postmortem action items)',
  usage: '<text> [--id <n>]',
  examples: ['incident note Error rate started climbing at 14:02', 'incident note action: alarm on checkout 5xx'],
  risk: 'write',
  env: false,
  positionals: ['...text'],
  args: z.object({ text: z.string().min(1), id: incidentIdArg }),
  async run(ctx, { text, id }) {
    const { incidents } = ctx.services;
    const target = await incidents.target({ id, channelId: ctx.channelId });
    const incident = await incidents.note(target.id, ctx.actor.id, text);
    return renderIncidentDone(`Noted in the timeline of *${incidentRef(incident)}*.`);
  },
});
