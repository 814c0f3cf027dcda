import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { queryConnections } from '../../src/probes/pg-diagnostics/connections.js';
import { renderDbConnections } from '../../views/db-connections.js';

export const dbConnections = defineCommand({
  name: 'db connections',
  summary: 'Connections by state and by user/application, against max_connections and the threshold',
  usage: '[env]',
  examples: ['db connections', 'db connections staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const snapshot = await ctx.db().readOnly((db) => queryConnections(db));
    return renderDbConnections(ctx.envName, snapshot, {
      percent: ctx.env.thresholds.db.connectionsPercent,
      count: ctx.env.thresholds.explicit.includes('db.connections') ? ctx.env.thresholds.db.connections : undefined,
    });
  },
});
