import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { querySlowStatements } from '../../src/probes/pg-diagnostics/statements.js';
import { renderDbSlow } from '../../views/db-slow.js';

export const dbSlow = defineCommand({
  name: 'db slow',
  summary: 'Slowest statements from pg_stat_statements, by mean or total time',
  usage: '[env] [--by mean|total] [--limit 10]',
  examples: ['db slow', 'db slow prod --by total --limit 20'],
  risk: 'read',
  args: z.object({
    by: z.enum(['mean', 'total'], { error: 'is `mean` or `total`' }).default('mean'),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  }),
  async run(ctx, { by, limit }) {
    const result = await ctx.db().readOnly((db) => querySlowStatements(db, { orderBy: by, limit }));
    return renderDbSlow(ctx.envName, result);
  },
});
