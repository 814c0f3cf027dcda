import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderJobList } from '../../views/jobs.js';

export const jobsList = defineCommand({
  name: 'jobs',
  summary: 'Running, queued and recently failed jobs, with progress',
  usage: '',
  examples: ['jobs'],
  risk: 'read',
  env: false,
  args: z.object({}),
  async run(ctx) {
    const list = await ctx.services.jobs.list(ctx.services.clock());
    return renderJobList({ ...list, now: ctx.services.clock() });
  },
});
