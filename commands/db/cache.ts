import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryCacheStats } from '../../src/probes/pg-diagnostics/cache.js';
import { renderDbCache } from '../../views/db-cache.js';

export const dbCache = defineCommand({
  name: 'db cache',
  summary: 'Cache hit ratio of the database, its tables and indexes',
  usage: '[env]',
  examples: ['db cache'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const stats = await ctx.db().readOnly((db) => queryCacheStats(db));
    return renderDbCache(ctx.envName, stats, ctx.env.thresholds.db.bufferCacheHitPercent, ctx.services.clock());
  },
});
