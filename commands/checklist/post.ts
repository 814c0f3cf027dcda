import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';

/** `/ops checklist <name>`: `checklist list|status|skip` are their own commands (the router prefers the longest name). */
export const checklistPost = defineCommand({
  name: 'checklist',
  summary: 'Post a checklist now (e.g. pre-deploy before a release), with checkboxes and Run buttons',
  usage: '<name>',
  examples: ['checklist pre-deploy', 'checklist morning'],
  risk: 'write',
  env: false,
  positionals: ['name'],
  args: z.object({ name: z.string().optional() }),
  async run(ctx, { name }) {
    const checklists = ctx.services.checklists;
    if (!name) return checklists.listReply();
    // In a terminal (the fallback when Slack is down) the list is printed; posting is for Slack.
    if (ctx.source === 'cli') return checklists.preview(name);
    return checklists.postNow(name, { channelId: ctx.channelId, actorId: ctx.actor.id });
  },
});
