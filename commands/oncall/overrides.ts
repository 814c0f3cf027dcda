import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderOverrideList, timeIn } from '../../views/oncall-status.js';
import { scheduleArg } from './args.js';

export const oncallOverrides = defineCommand({
  name: 'oncall overrides',
  summary: 'Live and coming on-call overrides (swaps included), with their ids',
  usage: '[schedule]',
  examples: ['oncall overrides'],
  risk: 'read',
  env: false,
  positionals: ['schedule'],
  args: z.object({ schedule: scheduleArg }),
  async run(ctx, { schedule }) {
    return renderOverrideList(await ctx.services.oncall.overrides(schedule), timeIn);
  },
});
