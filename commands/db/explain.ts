import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { explainSelect } from '../../src/probes/pg-diagnostics/explain.js';
import { checkSingleSelect } from '../../src/probes/pg-diagnostics/select-only.js';
import { renderDbExplain } from '../../views/db-explain.js';

export const dbExplain = defineCommand({
  name: 'db explain',
  summary: 'The query plan of one SELECT, costliest nodes first; --analyze runs it read-only',
  usage: '[env] "<select …>" [--analyze]',
  examples: [
    'db explain "select * from orders where customer_id = 42"',
    'db explain prod --analyze "select count(*) from events"',
  ],
  risk: 'read',
  positionals: ['...sql'],
  args: z.object({
    sql: z.string({ error: 'is required: the SELECT to explain, in quotes' }).min(1),
    analyze: z.boolean().default(false),
  }),
  async run(ctx, { sql, analyze }) {
    // Refused before a connection is taken; the read-only transaction is the backstop.
    checkSingleSelect(sql);
    const result = await ctx.db().readOnly((db) => explainSelect(db, sql, { analyze }));
    return renderDbExplain(ctx.envName, result);
  },
});
