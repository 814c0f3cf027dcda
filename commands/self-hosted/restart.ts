import { z } from 'zod';
import type { CommandDefinition } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { defineJob } from '../../src/core/job.js';
import { UserError } from '../../src/errors.js';
import { configuredEnv } from '../../src/aws/action-target.js';
import { listServices, projectContainers } from '../../src/docker/services.js';
import { restartService } from '../../src/docker/restart.js';
import { listProcesses } from '../../src/pm2/processes.js';
import { restartProcess } from '../../src/pm2/restart.js';
import {
  renderSelfHostedRestartDone,
  selfHostedRestartEffect,
  selfHostedRestartTitle,
} from '../../views/self-hosted-restart.js';
import { isSelfHosted } from './parts.js';

/** What one /ops restart of a self-hosted environment restarts: a compose service or a pm2 process. */
export type SelfHostedRestartTarget =
  | { kind: 'compose'; project: string; host: string; service: string; containers: string[] }
  | { kind: 'pm2'; home: string; process: string; instances: number };

/**
 * The one decision of what to restart (describeEffect and run both call it,
 * so the approval card and the job agree): the named compose service or pm2
 * process, or the only one there is; a wrong or missing name says which exist.
 */
export async function selfHostedRestartTarget(ctx: CommandContext, service?: string): Promise<SelfHostedRestartTarget> {
  const { docker, pm2 } = ctx.env;
  const names: string[] = [];
  if (docker) {
    const services = await listServices(ctx.docker());
    const pick = service ? services.find((s) => s.name === service) : services.length === 1 ? services[0] : undefined;
    if (pick)
      return {
        kind: 'compose',
        project: docker.project,
        host: docker.host,
        service: pick.name,
        containers: pick.containers.map((c) => c.name),
      };
    names.push(...services.map((s) => `${s.name} (compose)`));
  }
  if (pm2) {
    const daemon = ctx.pm2();
    const processes = await listProcesses(daemon);
    const distinct = [...new Set(processes.map((p) => p.name))];
    const pick = service
      ? distinct.find((n) => n === service)
      : !docker && distinct.length === 1
        ? distinct[0]
        : undefined;
    if (pick)
      return {
        kind: 'pm2',
        home: daemon.home,
        process: pick,
        instances: processes.filter((p) => p.name === pick).length,
      };
    names.push(...distinct.map((n) => `${n} (pm2)`));
  }
  const shown = [...new Set(names)].join(', ') || 'none';
  throw new UserError(
    service
      ? `\`${ctx.envName}\` has no compose service or pm2 process \`${service}\`.`
      : `Which one? \`${ctx.envName}\` runs more than one service.`,
    `Name it with \`/ops restart ${ctx.envName} --service <name>\`; there are: ${shown}.`,
  );
}

interface SelfHostedRestartData {
  env: string;
  target: SelfHostedRestartTarget;
}

export const selfHostedRestartJob = defineJob<SelfHostedRestartData>({
  name: 'selfhosted.restart',
  // docker's own follow deadline is 2 minutes and pm2's 1; the rest is room for the restart calls.
  timeoutMs: 5 * 60_000,
  async run(ctx, data) {
    const env = configuredEnv(ctx.config.environments, data.env);
    const t = data.target;
    let step = 0;
    const onProgress = (note: string) => ctx.progress(Math.min(90, 10 + 10 * step++), note);
    await ctx.progress(5, `restarting ${t.kind === 'compose' ? t.service : t.process}`);
    if (t.kind === 'compose') {
      const engine = ctx.services.docker.engine(data.env, env);
      await projectContainers(engine, t.service); // still there?
      const result = await restartService(engine, t.service, { onProgress });
      return renderSelfHostedRestartDone({
        env: data.env,
        target: t,
        durationMs: result.durationMs,
        units: result.containers.map((c) => ({ name: c.name, state: c.state, health: c.health, tookMs: c.tookMs })),
      });
    }
    const result = await restartProcess(ctx.services.pm2.daemon(data.env, env), t.process, { onProgress });
    return renderSelfHostedRestartDone({
      env: data.env,
      target: t,
      durationMs: result.durationMs,
      units: result.instances.map((p) => ({ name: `${p.name}#${p.id}`, state: p.status, pid: p.pid })),
    });
  },
});

/** True when this restart is of the self-hosted part: no Beanstalk/ECS, or a name that is a compose service or pm2 process. */
async function restartsSelfHosted(ctx: CommandContext, service?: string): Promise<boolean> {
  if (!isSelfHosted(ctx.env)) return false;
  if (!ctx.env.beanstalk && !ctx.env.ecs) return true;
  if (!service) return false;
  return selfHostedRestartTarget(ctx, service).then(
    () => true,
    () => false,
  );
}

/**
 * /ops restart for AWS as before, or for a compose service / pm2 process (a
 * job followed until it runs, and is healthy where it has a check). The
 * service may be given as a word (as for ECS) or as --service.
 */
export function withSelfHostedRestart(aws: CommandDefinition): CommandDefinition {
  const pick = (args: Record<string, unknown>) => (args.service ?? args.name) as string | undefined;
  return {
    ...aws,
    summary: `${aws.summary}; or a compose service / pm2 process, followed until running (and healthy)`,
    usage: '[env] [service] [--service name]',
    examples: [...(aws.examples ?? []), 'restart esn --service api'],
    positionals: ['name'],
    args: z.object({ name: z.string().min(1).optional(), service: z.string().min(1).optional() }),
    jobs: [...(aws.jobs ?? []), selfHostedRestartJob],
    async describeEffect(ctx, args) {
      const service = pick(args);
      if (!(await restartsSelfHosted(ctx, service))) return aws.describeEffect!(ctx, { service });
      return selfHostedRestartEffect(await selfHostedRestartTarget(ctx, service));
    },
    async run(ctx, args) {
      const service = pick(args);
      if (!(await restartsSelfHosted(ctx, service))) return aws.run(ctx, { service });
      const target = await selfHostedRestartTarget(ctx, service);
      const data: SelfHostedRestartData = { env: ctx.envName, target };
      return {
        job: { name: selfHostedRestartJob.name, data: { ...data }, title: selfHostedRestartTitle(ctx.envName, target) },
      };
    },
  };
}
