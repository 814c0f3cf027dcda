import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { COST_GROUPS, type CostGroup } from '../src/aws/cost.js';
import { buildCostReport } from '../src/reports/cost.js';

const BY = Object.keys(COST_GROUPS) as [CostGroup, ...CostGroup[]];

export const cost = defineCommand({
  name: 'cost',
  summary: 'AWS cost (Cost Explorer) of the last days by service and day, against the period before, with a bar chart',
  usage: '[env] [--days 30] [--by service|region|usage-type]',
  examples: ['cost', 'cost prod --days 7', 'cost prod --by usage-type'],
  risk: 'read',
  args: z.object({
    days: z.coerce
      .number()
      .int()
      .min(1, 'use between 1 and 90 days')
      .max(90, 'use between 1 and 90 days (Cost Explorer compares with as many days before)')
      .default(30),
    by: z.enum(BY, { error: `use one of ${BY.join(', ')}` }).default('service'),
  }),
  async run(ctx, args) {
    // Cost Explorer has one endpoint, in us-east-1 (the clients are made for it whatever the region).
    return buildCostReport(ctx.aws(), {
      envName: ctx.envName,
      env: ctx.env,
      days: args.days,
      by: args.by,
      now: ctx.services.clock(),
    });
  },
});
