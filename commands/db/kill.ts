import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { checkEndable, describeBackend, terminateBackend } from '../../src/probes/pg-diagnostics/terminate.js';
import { describeKillEffect, renderKillDone } from '../../views/db-kill.js';

export const dbKill = defineCommand({
  name: 'db kill',
  summary: 'End one database connection by pid (rolls back its transaction); needs approval',
  usage: '[env] <pid>',
  examples: ['db kill prod 48213'],
  risk: 'dangerous',
  positionals: ['pid'],
  args: z.object({
    pid: z.coerce
      .number({ error: 'is required: the pid from `/ops db activity` or `/ops db locks`' })
      .int('is not a pid')
      .positive('is not a pid'),
  }),
  async describeEffect(ctx, { pid }) {
    const backend = await ctx
      .db()
      .readOnly(async (db) => checkEndable(await describeBackend(db, pid), pid, ctx.envName));
    return describeKillEffect(ctx.envName, backend);
  },
  async run(ctx, { pid }) {
    const { backend, ended } = await ctx.db().execute(async (db) => {
      const current = checkEndable(await describeBackend(db, pid), pid, ctx.envName);
      return { backend: current, ended: await terminateBackend(db, pid) };
    });
    ctx.log.info({ pid, user: backend.user, application: backend.application, ended }, 'db kill ended a connection');
    return renderKillDone(ctx.envName, backend, ended);
  },
});
