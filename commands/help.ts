import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/errors.js';
import { helpEntry } from '../src/router/help-entries.js';
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
    const { registry, access } = ctx.services;
    const environments = Object.keys(ctx.config.environments);
    if (!topic)
      return renderHelp(
        registry.all().map((c) => helpEntry(c, access)),
        environments,
      );
    const words = topic.toLowerCase().split(/\s+/);
    const exact = registry.get(words.join(' '));
    if (exact) return renderCommandHelp(helpEntry(exact, access));
    const family = registry.withPrefix(words);
    if (family.length > 0)
      return renderHelp(
        family.map((c) => helpEntry(c, access)),
        environments,
      );
    const suggestion = registry.suggest(words);
    throw new UserError(
      `There is no command \`${topic}\`.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
      'All commands: `/ops help`',
    );
  },
});
