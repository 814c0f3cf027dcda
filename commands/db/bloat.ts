import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryBloat } from '../../src/probes/pg-diagnostics/bloat.js';
import { renderDbBloat } from '../../views/db-bloat.js';

export const dbBloat = defineCommand({
  name: 'db bloat',
  summary: 'Estimated table and index bloat (wasted space)',
  usage: '[env] [--limit 10]',
  examples: ['db bloat'],
  risk: 'read',
  args: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
  async run(ctx, { limit }) {
    const estimates = await ctx.db().readOnly((db) => queryBloat(db, limit));
    return renderDbBloat(ctx.envName, estimates);
  },
});
