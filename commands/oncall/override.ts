import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderOverrideDone, timeIn } from '../../views/oncall-status.js';
import { layerArg, parseUserMention, scheduleArg } from './args.js';

export const oncallOverride = defineCommand({
  name: 'oncall override',
  summary: 'Put someone on call for a stretch of time (wins over the rotation)',
  usage: '@someone <YYYY-MM-DD HH:MM>..<YYYY-MM-DD HH:MM> [--layer primary] [--schedule name]',
  examples: [
    'oncall override @bob 2026-12-24 09:00..2026-12-27 09:00',
    'oncall override @bob 2026-12-24..2026-12-25 --layer secondary',
  ],
  risk: 'write',
  env: false,
  positionals: ['user', '...range'],
  args: z.object({
    user: z.string({ error: 'is required: the person who covers, as an @-mention' }),
    range: z.string({ error: 'is required: from..to such as 2026-12-24 09:00..2026-12-27 09:00' }),
    layer: layerArg,
    schedule: scheduleArg,
  }),
  async run(ctx, { user, range, layer, schedule }) {
    const { override, timeZone } = await ctx.services.oncall.addOverride({
      schedule,
      layer,
      userId: parseUserMention(user),
      range,
      by: ctx.actor.id,
    });
    return renderOverrideDone(override, timeIn(timeZone));
  },
});
