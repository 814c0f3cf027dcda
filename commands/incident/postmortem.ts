import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg } from './args.js';
import { section } from '../../views/blocks.js';
import { incidentRef } from '../../views/incident-card.js';
import { postmortemFile } from '../../views/incident-postmortem.js';

export const incidentPostmortem = defineCommand({
  name: 'incident postmortem',
  summary: 'Attach the postmortem draft built from the timeline (again, or before resolving)',
  usage: '[--id <n>]',
  examples: ['incident postmortem --id 12'],
  risk: 'read',
  env: false,
  args: z.object({ id: incidentIdArg }),
  async run(ctx, { id }) {
    const { incidents } = ctx.services;
    const incident = await incidents.target({ id, channelId: ctx.channelId });
    const markdown = await incidents.postmortem(incident);
    const note =
      incident.status === 'resolved'
        ? ''
        : ' (the incident is still open, so times to mitigate and resolve are missing)';
    return {
      text: `Postmortem draft for ${incidentRef(incident)}`,
      blocks: [section(`:memo: Postmortem draft for *${incidentRef(incident)}*${note}.`)],
      files: [postmortemFile(incident, markdown)],
    };
  },
});
