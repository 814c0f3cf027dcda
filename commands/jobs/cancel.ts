import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderJobCancelled } from '../../views/jobs.js';

export const jobsCancel = defineCommand({
  name: 'jobs cancel',
  summary: 'Cancel a queued or running job',
  usage: '<id>',
  examples: ['jobs cancel 42'],
  risk: 'write',
  env: false,
  positionals: ['id'],
  args: z.object({
    id: z
      .string({ error: 'is required: the job id from `/ops jobs`' })
      .regex(/^[\w:-]+$/, 'is not a job id; copy it from `/ops jobs`'),
  }),
  async run(ctx, { id }) {
    const { title, how } = await ctx.services.jobs.cancel(id, ctx.actor.id);
    return renderJobCancelled(id, title, how);
  },
});
