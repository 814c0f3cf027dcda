import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryBlocked } from '../../src/probes/pg-diagnostics/activity.js';
import { renderDbLocks } from '../../views/db-locks.js';

export const dbLocks = defineCommand({
  name: 'db locks',
  summary: 'Blocked queries and the sessions that block them',
  usage: '[env]',
  examples: ['db locks'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const blocked = await ctx.db().readOnly((db) => queryBlocked(db));
    return renderDbLocks(ctx.envName, blocked);
  },
});
