import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { inspectTls } from '../src/probes/tls.js';
import { CERT_WARNING_DAYS, judgeTls } from '../src/probes/tls-judge.js';
import { renderHealthReport, type CertificateNotice } from '../views/health.js';

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
        probes.http(
          { name: probe.name, url: probe.url, expectStatus: probe.expectStatus, expectJson: probe.expectJson },
          probe.timeout ?? timeoutMs,
        ),
      ),
      ...(ctx.env.database ? [probes.postgres('database', ctx.env.database.url, timeoutMs)] : []),
      ...(ctx.env.redis ? [probes.redis('redis', ctx.env.redis.url, timeoutMs)] : []),
    ];
    const [results, certificates] = await Promise.all([Promise.all(checks), expiringCertificates(ctx)]);
    return renderHealthReport({
      env: ctx.envName,
      checks: results,
      certificates,
      timeoutMs,
      checkedAt: ctx.services.clock(),
    });
  },
});

/** HTTPS health URLs whose certificate expires within 21 days (the full picture is `/ops tls`). */
async function expiringCertificates(ctx: CommandContext): Promise<CertificateNotice[]> {
  const now = ctx.services.clock();
  const https = ctx.env.health.filter((p) => p.url.startsWith('https://'));
  const inspections = await Promise.all(
    https.map((p) => inspectTls(p.name, p.url, { timeoutMs: p.timeout ?? ctx.config.probes.timeout })),
  );
  return inspections.flatMap((t) => {
    const j = judgeTls(t, now);
    if (j.daysLeft === undefined || j.daysLeft >= CERT_WARNING_DAYS || !t.validTo) return [];
    return [{ name: t.name, daysLeft: j.daysLeft, validTo: t.validTo, level: j.daysLeft < 7 ? 'danger' : 'warning' }];
  });
}
