import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { durationSchema, formatDuration } from '../../src/duration.js';
import { listIdleConnections, terminateIdleConnections } from '../../src/probes/pg-diagnostics/terminate.js';
import { describeKillIdleEffect, renderKillIdleDone } from '../../views/db-kill.js';

export const dbKillIdle = defineCommand({
  name: 'db kill-idle',
  summary: 'End connections idle longer than a bound (default 10m); needs approval',
  usage: '[env] [--older 10m]',
  examples: ['db kill-idle prod', 'db kill-idle prod --older 30m'],
  risk: 'dangerous',
  args: z.object({ older: durationSchema.prefault('10m').refine((ms) => ms >= 1000, 'must be at least 1s') }),
  async describeEffect(ctx, { older }) {
    const candidates = await ctx.db().readOnly((db) => listIdleConnections(db, older));
    return describeKillIdleEffect(ctx.envName, formatDuration(older), candidates);
  },
  async run(ctx, { older }) {
    // Counted again now: the approval may come minutes after the request.
    const report = await ctx.db().execute((db) => terminateIdleConnections(db, older));
    ctx.log.info(
      {
        ended: report.ended.map((c) => ({ pid: c.pid, user: c.user, application: c.application })),
        skipped: report.skipped.length,
        failed: report.failed.length,
      },
      'db kill-idle ended connections',
    );
    return renderKillIdleDone(ctx.envName, formatDuration(older), report);
  },
});
