import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';

export const checklistStatus = defineCommand({
  name: 'checklist status',
  summary: 'Recent checklist runs, completion rate, overdue items and who completes them',
  usage: '[name] [--days 30]',
  examples: ['checklist status', 'checklist status morning --days 7'],
  risk: 'read',
  env: false,
  positionals: ['name'],
  args: z.object({
    name: z.string().optional(),
    days: z.coerce.number({ error: 'must be a number of days, e.g. 30' }).int().min(1).max(365).default(30),
  }),
  async run(ctx, { name, days }) {
    return ctx.services.checklists.status(name, days);
  },
});
