import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryIndexUsage } from '../../src/probes/pg-diagnostics/indexes.js';
import { renderDbIndexes } from '../../views/db-indexes.js';

export const dbIndexes = defineCommand({
  name: 'db indexes',
  summary: 'Unused and rarely used indexes, with their size',
  usage: '[env] [--limit 20]',
  examples: ['db indexes'],
  risk: 'read',
  args: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  async run(ctx, { limit }) {
    const report = await ctx.db().readOnly((db) => queryIndexUsage(db, { limit }));
    return renderDbIndexes(ctx.envName, report, ctx.services.clock());
  },
});
