import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryActivity } from '../../src/probes/pg-diagnostics/activity.js';
import { renderDbActivity } from '../../views/db-activity.js';

export const dbActivity = defineCommand({
  name: 'db activity',
  summary: 'What the database is doing now: busy sessions with duration, wait event, user and application',
  usage: '[env] [--limit 30]',
  examples: ['db activity', 'db activity prod --limit 50'],
  risk: 'read',
  args: z.object({ limit: z.coerce.number().int().min(1).max(200).default(30) }),
  async run(ctx, { limit }) {
    const rows = await ctx.db().readOnly((db) => queryActivity(db, { limit }));
    return renderDbActivity(ctx.envName, rows, { limit });
  },
});
