import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';

export const checklistSkip = defineCommand({
  name: 'checklist skip',
  summary: "Skip an item of this channel's open checklist, with a reason",
  usage: '<item number or words> --reason <why> [--list <name>]',
  examples: [
    'checklist skip 3 --reason "no deploy today"',
    'checklist skip backup --reason "verified by AWS Backup" --list morning',
  ],
  risk: 'write',
  env: false,
  positionals: ['...item'],
  args: z.object({
    item: z.string({ error: 'is required: the item number (or words from it)' }).min(1),
    reason: z
      .string({ error: 'is required: say why the item is skipped, e.g. --reason "no deploy today"' })
      .trim()
      .min(3, 'must say why, in a few words'),
    list: z.string().optional(),
  }),
  async run(ctx, { item, reason, list }) {
    return ctx.services.checklists.skip({ channelId: ctx.channelId, actorId: ctx.actor.id, item, reason, list });
  },
});
