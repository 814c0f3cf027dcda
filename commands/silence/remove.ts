import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { UserError } from '../../src/errors.js';
import { section } from '../../views/blocks.js';

export const silenceRemove = defineCommand({
  name: 'silence remove',
  summary: 'End an alert silence now; what it held back is reported',
  usage: '<id>',
  examples: ['silence remove 12'],
  risk: 'write',
  env: false,
  positionals: ['id'],
  args: z.object({
    id: z
      .string({ error: 'is required: the silence id from `/ops silence list`' })
      .regex(/^#?\d+$/, 'is not a silence id; see `/ops silence list`'),
  }),
  async run(ctx, { id }) {
    const plain = id.replace(/^#/, '');
    const removed = await ctx.services.alerts.removeSilence(plain, ctx.actor.id);
    if (!removed)
      throw new UserError(`There is no active silence #${plain}.`, 'See the active ones with `/ops silence list`.');
    return {
      text: `Silence #${plain} removed`,
      tone: 'ok',
      blocks: [
        section(
          `:bell: Silence *#${plain}* on \`${removed.matcher}\` ended. What it held back is posted in the channel.`,
        ),
      ],
    };
  },
});
