import { totalmem } from 'node:os';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { defineJob, type JobContext } from '../src/core/job.js';
import { UserError } from '../src/errors.js';
import { configuredEnv } from '../src/aws/action-target.js';
import { serviceStats } from '../src/docker/stats.js';
import { projectContainers } from '../src/docker/services.js';
import { listProcesses } from '../src/pm2/processes.js';
import { formatBytes } from '../views/db-format.js';
import { renderStats, statsJobTitle, type StatsRow } from '../views/stats.js';
import { isSelfHosted, settlePart } from './self-hosted/parts.js';

interface StatsJobData {
  env: string;
  service?: string;
  samples: number;
  intervalMs: number;
}

/** Reads every container and process `samples` times; a part that fails is shown as such, the rest still stand. */
async function sample(ctx: JobContext, data: StatsJobData) {
  const env = configuredEnv(ctx.config.environments, data.env);
  const engine = env.docker ? ctx.services.docker.engine(data.env, env) : undefined;
  const daemon = env.pm2 ? ctx.services.pm2.daemon(data.env, env) : undefined;
  const rows = new Map<string, StatsRow>();
  const failed = new Map<string, string>();
  const machine = totalmem();
  const row = (key: string, fresh: () => StatsRow) => rows.get(key) ?? rows.set(key, fresh()).get(key)!;
  for (let i = 0; i < data.samples; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, data.intervalMs));
    if (ctx.signal.aborted) throw new UserError('Stopped before all samples were read.');
    const [containers, processes] = await Promise.all([
      engine ? settlePart(serviceStats(engine, { service: data.service })) : undefined,
      daemon ? settlePart(listProcesses(daemon)) : undefined,
    ]);
    if (containers && !containers.ok) failed.set('Docker Engine', containers.error);
    for (const c of containers?.ok ? containers.value : []) {
      const r = row(`c:${c.container}`, () => ({
        kind: 'container',
        name: c.container,
        group: c.service,
        cpuPercent: [],
        memoryBytes: [],
        memoryPercent: c.memoryLimitBytes ? [] : undefined,
        memoryOf: c.memoryLimitBytes ? 'containers: of their limit, else of the host' : undefined,
      }));
      r.cpuPercent.push(c.cpuPercent);
      r.memoryBytes.push(c.memoryBytes);
      if (c.memoryPercent !== undefined) r.memoryPercent?.push(c.memoryPercent);
    }
    if (processes && !processes.ok) failed.set('pm2', processes.error);
    for (const p of processes?.ok ? processes.value : []) {
      if (data.service && p.name !== data.service) continue;
      const r = row(`p:${p.name}:${p.id}`, () => ({
        kind: 'process',
        name: `${p.name}#${p.id}`,
        group: p.name,
        cpuPercent: [],
        memoryBytes: [],
        memoryPercent: [],
        memoryOf: `pm2: of ${formatBytes(machine)} RAM`,
      }));
      r.cpuPercent.push(p.cpuPercent);
      r.memoryBytes.push(p.memoryBytes);
      r.memoryPercent!.push(Math.round((p.memoryBytes / machine) * 10_000) / 100);
    }
    await ctx.progress(Math.round(((i + 1) / data.samples) * 95), `sample ${i + 1} of ${data.samples}`);
  }
  return { env, rows: [...rows.values()], failed: [...failed].map(([what, error]) => ({ what, error })) };
}

export const statsJob = defineJob<StatsJobData>({
  name: 'stats.sample',
  timeoutMs: 5 * 60_000,
  idempotent: true,
  async run(ctx, data) {
    const started = Date.now();
    const { env, rows, failed } = await sample(ctx, data);
    if (!rows.length && failed.length) throw new UserError(failed.map((f) => f.error).join(' '));
    return renderStats({
      env: data.env,
      checkedAt: ctx.services.clock(),
      tookMs: Date.now() - started,
      samples: data.samples,
      intervalMs: data.intervalMs,
      rows,
      failed,
      thresholds: { cpuPercent: env.thresholds.app.cpuPercent, memoryPercent: env.thresholds.app.memoryPercent },
    });
  },
});

export const stats = defineCommand({
  name: 'stats',
  summary: 'CPU and memory per container (docker-compose) or process (pm2) against the thresholds, with sparklines',
  usage: '[env] [--service name] [--samples 5] [--every 2s]',
  examples: ['stats esn', 'stats esn --service api --samples 10'],
  risk: 'read',
  args: z.object({
    service: z.string().min(1).max(100).optional(),
    samples: z.coerce.number().int().min(1).max(30).default(5),
    every: z
      .string()
      .regex(/^\d+s$/, 'expected seconds such as 2s')
      .default('2s')
      .transform((s) => Number(s.slice(0, -1)) * 1000)
      .refine((ms) => ms >= 1000 && ms <= 30_000, 'use between 1s and 30s'),
  }),
  jobs: [statsJob],
  async run(ctx, args) {
    if (!isSelfHosted(ctx.env))
      throw new UserError(
        `\`${ctx.envName}\` has no Docker Engine or pm2 for /ops stats to read.`,
        'Add `docker: { project: ... }` or `pm2: {}` to it in ops.yml; for AWS environments use `/ops metrics`.',
      );
    // Looked up now, so an unknown service or a dead engine is said at once, not by the job.
    if (args.service && !ctx.env.pm2) await projectContainers(ctx.docker(), args.service);
    const data: StatsJobData = {
      env: ctx.envName,
      service: args.service,
      samples: args.samples,
      intervalMs: args.every,
    };
    return { job: { name: statsJob.name, data: { ...data }, title: statsJobTitle(ctx.envName, args.samples) } };
  },
});
