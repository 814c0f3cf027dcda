import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderIncidentList } from '../../views/incident-list.js';

export const incidentList = defineCommand({
  name: 'incident list',
  summary: 'Open incidents, most severe and newest first, with age and owner',
  usage: '',
  examples: ['incident list'],
  risk: 'read',
  env: false,
  args: z.object({}),
  async run(ctx) {
    return renderIncidentList(await ctx.services.incidents.listOpen(), ctx.services.clock());
  },
});
