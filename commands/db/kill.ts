import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { requireUnchanged } from '../../src/errors.js';
import {
  checkEndable,
  describeBackend,
  terminateExact,
  whyChanged,
} from '../../src/probes/pg-diagnostics/terminate.js';
import type { BackendDetail } from '../../src/probes/pg-diagnostics/types.js';
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
  async plan(ctx, { pid }) {
    const backend = await ctx
      .db()
      .readOnly(async (db) => checkEndable(await describeBackend(db, pid), pid, ctx.envName));
    const started = new Date(Number(BigInt(backend.backendStart) / 1000n)).toISOString();
    return {
      command: 'db kill',
      env: ctx.envName,
      args: { pid },
      summary: `End pid ${pid} (${backend.user ?? '?'} / ${backend.application}) on ${ctx.envName}`,
      effects: [describeKillEffect(ctx.envName, backend)],
      targets: [{ kind: 'pg-backend', id: String(pid), detail: `backend_start ${started}` }],
      preconditions: [{ what: `pid ${pid} is the backend that started at`, expected: started }],
      data: { backend } as { backend: BackendDetail },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(ctx, { data: { backend } }) {
    const { result, why } = await ctx.db().execute(async (db) => {
      const result = await terminateExact(db, backend.pid, backend.backendStart);
      return { result, why: result === 'changed' ? await whyChanged(db, backend.pid, backend.backendStart) : '' };
    });
    // A pid reused by another backend is never ended: the statement matched pid and backend_start together.
    requireUnchanged(
      result !== 'changed',
      `${why} since the kill was approved; nothing was ended.`,
      `See the current connections with \`/ops db activity ${ctx.envName}\`, then ask again with \`/ops db kill ${ctx.envName} <pid>\`.`,
    );
    ctx.log.info(
      { pid: backend.pid, user: backend.user, application: backend.application, ended: result === 'ended' },
      'db kill ended a connection',
    );
    return renderKillDone(ctx.envName, backend, result === 'ended');
  },
});
