import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryTableSizes } from '../../src/probes/pg-diagnostics/sizes.js';
import { renderDbTables } from '../../views/db-tables.js';

export const dbTables = defineCommand({
  name: 'db tables',
  summary: 'Largest tables: total, table, index and TOAST sizes, row estimates',
  usage: '[env] [--limit 10]',
  examples: ['db tables', 'db tables prod --limit 25'],
  risk: 'read',
  args: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
  async run(ctx, { limit }) {
    const sizes = await ctx.db().readOnly((db) => queryTableSizes(db, limit));
    return renderDbTables(ctx.envName, sizes);
  },
});
