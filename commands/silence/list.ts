import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderSilenceList } from '../../views/alert-silences.js';

export const silenceList = defineCommand({
  name: 'silence list',
  summary: 'Active alert silences and how many notifications each held back',
  usage: '',
  examples: ['silence list'],
  risk: 'read',
  env: false,
  args: z.object({}),
  async run(ctx) {
    return renderSilenceList(await ctx.services.alerts.activeSilences(), ctx.services.clock());
  },
});
