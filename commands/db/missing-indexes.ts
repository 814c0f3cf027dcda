import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryMissingIndexes } from '../../src/probes/pg-diagnostics/missing-indexes.js';
import { renderDbMissingIndexes } from '../../views/db-missing-indexes.js';

export const dbMissingIndexes = defineCommand({
  name: 'db missing-indexes',
  summary: 'Tables read mostly by sequential scans over many rows, with a column to index',
  usage: '[env] [--limit 20] [--min-rows 10000] [--min-scans 50]',
  examples: ['db missing-indexes', 'db missing-indexes prod --min-rows 100000'],
  risk: 'read',
  args: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    minRows: z.coerce.number().int().min(0).default(10_000),
    minScans: z.coerce.number().int().min(1).default(50),
  }),
  async run(ctx, { limit, minRows, minScans }) {
    const report = await ctx.db().readOnly((db) => queryMissingIndexes(db, { limit, minRows, minSeqScans: minScans }));
    return renderDbMissingIndexes(ctx.envName, report, ctx.services.clock());
  },
});
