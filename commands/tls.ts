import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { inspectTls } from '../src/probes/tls.js';
import { judgeTls } from '../src/probes/tls-judge.js';
import { renderTlsReport } from '../views/tls.js';

export const tls = defineCommand({
  name: 'tls',
  summary: "Certificates, chains, TLS versions and security headers of the environment's HTTPS health URLs",
  usage: '[env]',
  examples: ['tls', 'tls staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const timeoutMs = ctx.config.probes.timeout;
    const https = ctx.env.health.filter((p) => p.url.startsWith('https://'));
    const plainHttp = ctx.env.health.filter((p) => !p.url.startsWith('https://')).map((p) => p.name);
    const inspections = await Promise.all(
      https.map((p) => inspectTls(p.name, p.url, { timeoutMs: p.timeout ?? timeoutMs })),
    );
    const now = ctx.services.clock();
    return renderTlsReport({
      env: ctx.envName,
      sites: inspections.map((inspection) => ({ inspection, judgement: judgeTls(inspection, now) })),
      plainHttp,
      timeoutMs,
      checkedAt: now,
    });
  },
});
