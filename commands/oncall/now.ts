import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderOncallNow, timeIn } from '../../views/oncall-status.js';
import { scheduleArg } from './args.js';

export const oncallNow = defineCommand({
  name: 'oncall',
  summary: 'Who is on call now for each layer, until when, and the next four handoffs',
  usage: '[schedule]',
  examples: ['oncall', 'oncall platform'],
  risk: 'read',
  env: false,
  positionals: ['schedule'],
  args: z.object({ schedule: scheduleArg }),
  async run(ctx, { schedule }) {
    const now = await ctx.services.oncall.now(schedule);
    return renderOncallNow(now, timeIn(now.timeZone));
  },
});
