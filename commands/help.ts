import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/errors.js';
import { renderCommandHelp, renderHelp } from '../views/help.js';

export const help = defineCommand({
  name: 'help',
  summary: 'List the commands, or show how to use one',
  usage: '[command]',
  examples: ['help', 'help db slow'],
  risk: 'read',
  env: false,
  positionals: ['...topic'],
  args: z.object({ topic: z.string().optional() }),
  async run(ctx, { topic }) {
    const { help } = ctx.services;
    const environments = Object.keys(ctx.config.environments);
    if (!topic) return renderHelp(help.all(), environments);
    const words = topic.toLowerCase().split(/\s+/);
    const exact = help.get(words.join(' '));
    if (exact) return renderCommandHelp(exact);
    const family = help.withPrefix(words);
    if (family.length > 0) return renderHelp(family, environments);
    const suggestion = help.suggest(words);
    throw new UserError(
      `There is no command \`${topic}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
      'All commands: `/ops help`',
    );
  },
});
