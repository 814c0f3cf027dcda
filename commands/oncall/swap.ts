import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { UserError } from '../../src/errors.js';
import { renderSwapRequested } from '../../views/oncall-swap.js';
import { timeIn } from '../../views/oncall-status.js';
import { layerArg, parseUserMention, scheduleArg } from './args.js';

export const oncallSwap = defineCommand({
  name: 'oncall swap',
  summary: 'Swap shifts: each takes the other’s next shift, once the other person accepts',
  usage: '@you @them [--layer primary] [--schedule name]',
  examples: ['oncall swap @alice @bob', 'oncall swap @alice @bob --layer secondary'],
  risk: 'write',
  env: false,
  positionals: ['first', 'second'],
  args: z.object({
    first: z.string({ error: 'is required: two people, e.g. `/ops oncall swap @alice @bob`' }),
    second: z.string({ error: 'is required: the person to swap with, e.g. `/ops oncall swap @alice @bob`' }),
    layer: layerArg,
    schedule: scheduleArg,
  }),
  async run(ctx, { first, second, layer, schedule }) {
    const a = parseUserMention(first);
    const b = parseUserMention(second);
    if (a !== ctx.actor.id && b !== ctx.actor.id)
      throw new UserError(
        'You can only swap your own shifts.',
        `Name yourself and the other person: \`/ops oncall swap <@${ctx.actor.id}> @them\`.`,
      );
    const other = a === ctx.actor.id ? b : a;
    const { swap, timeZone } = await ctx.services.oncall.requestSwap({
      schedule,
      layer,
      requester: ctx.actor.id,
      other,
    });
    return renderSwapRequested(swap, timeIn(timeZone));
  },
});
