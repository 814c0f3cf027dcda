import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryVacuumStats } from '../../src/probes/pg-diagnostics/vacuum-stats.js';
import { renderDbVacuumStats } from '../../views/db-vacuum-stats.js';

export const dbVacuumStats = defineCommand({
  name: 'db vacuum-stats',
  summary: 'Dead tuples and last vacuum/autovacuum/analyze per table',
  usage: '[env] [--limit 15]',
  examples: ['db vacuum-stats'],
  risk: 'read',
  args: z.object({ limit: z.coerce.number().int().min(1).max(100).default(15) }),
  async run(ctx, { limit }) {
    const report = await ctx.db().readOnly((db) => queryVacuumStats(db, limit));
    return renderDbVacuumStats(ctx.envName, report, ctx.services.clock());
  },
});
