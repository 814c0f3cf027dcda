import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderOverrideDone, timeIn } from '../../views/oncall-status.js';

export const oncallOverrideRemove = defineCommand({
  name: 'oncall override remove',
  summary: 'Remove an on-call override; the rotation applies again',
  usage: '<id>',
  examples: ['oncall override remove 7'],
  risk: 'write',
  env: false,
  positionals: ['id'],
  args: z.object({
    id: z
      .string({ error: 'is required: the override id from `/ops oncall overrides`' })
      .regex(/^#?\d{1,9}$/, 'is not an override id; see `/ops oncall overrides`'),
  }),
  async run(ctx, { id }) {
    const removed = await ctx.services.oncall.removeOverride(id, ctx.actor.id);
    const tz = ctx.config.oncall?.schedules[removed.schedule]?.timezone ?? ctx.config.timezone;
    return renderOverrideDone(removed, timeIn(tz), true);
  },
});
