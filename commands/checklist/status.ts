import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { context } from '../../views/blocks.js';
import { drLastLine } from '../../views/dr-test.js';
import { lastDr } from '../dr/last.js';

export const checklistStatus = defineCommand({
  name: 'checklist status',
  summary:
    'Recent checklist runs, completion rate, overdue items and who completes them; the last DR test per environment',
  usage: '[name] [--days 30]',
  examples: ['checklist status', 'checklist status morning --days 7'],
  risk: 'read',
  env: false,
  positionals: ['name'],
  args: z.object({
    name: z.string().optional(),
    days: z.coerce.number({ error: 'must be a number of days, e.g. 30' }).int().min(1).max(365).default(30),
  }),
  async run(ctx, { name, days }) {
    const rdsEnvs = Object.entries(ctx.config.environments).filter(([, env]) => env.rds);
    const [reply, drs] = await Promise.all([
      ctx.services.checklists.status(name, days),
      // The guides' monthly "Disaster recovery test" item: when it was last done, and how it went.
      Promise.all(rdsEnvs.slice(0, 5).map(([envName]) => lastDr({ envName, services: ctx.services }))),
    ]);
    const now = ctx.services.clock();
    const lines = rdsEnvs
      .slice(0, 5)
      .flatMap(([envName], i) =>
        drs[i] === undefined ? [] : [`*${envName}* · ${drLastLine(drs[i] ?? undefined, now, envName)}`],
      );
    // One context block more, only while the reply has room under Slack's 50 blocks.
    return lines.length && reply.blocks.length < 50
      ? { ...reply, blocks: [...reply.blocks, context(...lines)] }
      : reply;
  },
});
