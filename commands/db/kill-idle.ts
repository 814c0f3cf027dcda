import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { durationSchema, formatDuration } from '../../src/duration.js';
import { PlanChangedError, UserError } from '../../src/errors.js';
import { listIdleConnections, terminatePlanned } from '../../src/probes/pg-diagnostics/terminate.js';
import type { IdleConnection } from '../../src/probes/pg-diagnostics/types.js';
import { describeKillIdleEffect, renderKillIdleDone } from '../../views/db-kill.js';

/** The plan's data: the bound and exactly the connections counted at request time, each with its backend_start. */
export interface KillIdlePlanData {
  older: number;
  connections: IdleConnection[];
}

export const dbKillIdle = defineCommand({
  name: 'db kill-idle',
  summary: 'End connections idle longer than a bound (default 10m); needs approval',
  usage: '[env] [--older 10m]',
  examples: ['db kill-idle prod', 'db kill-idle prod --older 30m'],
  risk: 'dangerous',
  args: z.object({ older: durationSchema.prefault('10m').refine((ms) => ms >= 1000, 'must be at least 1s') }),
  async plan(ctx, { older }) {
    const connections = await ctx.db().readOnly((db) => listIdleConnections(db, older));
    const label = formatDuration(older);
    // A request that could never end anything gets no card.
    if (connections.length === 0)
      throw new UserError(
        `No connection on the \`${ctx.envName}\` database has been idle longer than ${label}; there is nothing to end.`,
        `See them with \`/ops db connections ${ctx.envName}\`, or use a shorter bound: \`/ops db kill-idle ${ctx.envName} --older 2m\`.`,
      );
    return {
      command: 'db kill-idle',
      env: ctx.envName,
      args: { older },
      summary: `End ${connections.length} idle connection${connections.length === 1 ? '' : 's'} on ${ctx.envName} (idle > ${label})`,
      effects: [describeKillIdleEffect(ctx.envName, label, connections)],
      targets: connections.map((c) => ({
        kind: 'pg-backend',
        id: String(c.pid),
        detail: `backend_start ${new Date(Number(BigInt(c.backendStart) / 1000n)).toISOString()}`,
      })),
      preconditions: [{ what: 'each connection is the same backend and still idle longer than', expected: label }],
      data: { older, connections },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(ctx, { data }) {
    const label = formatDuration(data.older);
    const report = await ctx.db().execute((db) => terminatePlanned(db, data.connections, data.older));
    ctx.log.info(
      {
        ended: report.ended.map((c) => ({ pid: c.pid, user: c.user, application: c.application })),
        skipped: report.skipped.length,
        failed: report.failed.length,
      },
      'db kill-idle ended connections',
    );
    if (report.ended.length === 0 && report.failed.length === 0) {
      const why = data.connections.map((c) => report.why?.[c.pid]).filter(Boolean);
      throw new PlanChangedError(
        `The ${data.connections.length === 1 ? 'connection' : `${data.connections.length} connections`} counted when this was approved ${data.connections.length === 1 ? 'has' : 'have all'} changed (${why.slice(0, 6).join('; ')}); nothing was ended.`,
        `Ask again with \`/ops db kill-idle ${ctx.envName} --older ${label}\`.`,
      );
    }
    return renderKillIdleDone(ctx.envName, label, report);
  },
});
