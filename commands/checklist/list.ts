import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';

export const checklistList = defineCommand({
  name: 'checklist list',
  summary: 'Checklists: which are scheduled, where and when next, and the built-ins you can enable',
  usage: '',
  examples: ['checklist list'],
  risk: 'read',
  env: false,
  args: z.object({}),
  async run(ctx) {
    return ctx.services.checklists.listReply();
  },
});
