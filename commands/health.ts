import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { renderHealthReport } from '../views/health.js';

export const health = defineCommand({
  name: 'health',
  summary: "Check the environment's HTTP endpoints, Postgres and Redis in parallel",
  usage: '[env]',
  examples: ['health', 'health staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const { probes } = ctx.services;
    const timeoutMs = ctx.config.probes.timeout;
    const checks = [
      ...ctx.env.health.map((probe) =>
        probes.http({ name: probe.name, url: probe.url, expectStatus: probe.expectStatus }, probe.timeout ?? timeoutMs),
      ),
      ...(ctx.env.database ? [probes.postgres('database', ctx.env.database.url, timeoutMs)] : []),
      ...(ctx.env.redis ? [probes.redis('redis', ctx.env.redis.url, timeoutMs)] : []),
    ];
    const results = await Promise.all(checks);
    return renderHealthReport({ env: ctx.envName, checks: results, timeoutMs, checkedAt: ctx.services.clock() });
  },
});
