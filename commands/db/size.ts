import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryDatabaseSize } from '../../src/probes/pg-diagnostics/sizes.js';
import { renderDbSize } from '../../views/db-size.js';

export const dbSize = defineCommand({
  name: 'db size',
  summary: 'Database size on disk: tables, indexes, TOAST and the largest tables',
  usage: '[env]',
  examples: ['db size', 'db size staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const size = await ctx.db().readOnly((db) => queryDatabaseSize(db));
    return renderDbSize(ctx.envName, size);
  },
});
