import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { durationSchema } from '../../src/duration.js';
import { queryActivity } from '../../src/probes/pg-diagnostics/activity.js';
import { renderDbActivity } from '../../views/db-activity.js';

export const dbLong = defineCommand({
  name: 'db long',
  summary: 'Long-running queries and transactions (default: over 5s)',
  usage: '[env] [--over 5s]',
  examples: ['db long', 'db long prod --over 1m'],
  risk: 'read',
  args: z.object({ over: durationSchema.prefault('5s'), limit: z.coerce.number().int().min(1).max(200).default(30) }),
  async run(ctx, { over, limit }) {
    const rows = await ctx.db().readOnly((db) => queryActivity(db, { minDurationMs: over, limit }));
    return renderDbActivity(ctx.envName, rows, { overMs: over, limit });
  },
});
