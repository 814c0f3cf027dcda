import { z } from 'zod';
import type { AnyArgsSchema, Plan, PlannedCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { configuredEnv } from '../../src/aws/action-target.js';
import { restartService } from '../../src/docker/restart.js';
import { restartProcess } from '../../src/pm2/restart.js';
import {
  renderSelfHostedRestartDone,
  selfHostedRestartEffect,
  selfHostedRestartTitle,
} from '../../views/self-hosted-restart.js';
import { isSelfHosted } from './parts.js';
import {
  chooseRestart,
  describeRunning,
  requireSameUnits,
  runningNow,
  type RunningUnit,
  type SelfHostedRestartTarget,
} from './restart-state.js';

export type { SelfHostedRestartTarget } from './restart-state.js';

/** The plan's data and the job's: what restarts, and exactly what of it ran when the restart was asked for. */
export interface SelfHostedRestartData {
  selfHosted: true;
  env: string;
  target: SelfHostedRestartTarget;
  running: RunningUnit[];
}

function isSelfHostedRestart(data: unknown): data is SelfHostedRestartData {
  return (data as { selfHosted?: unknown }).selfHosted === true;
}

const nameOf = (t: SelfHostedRestartTarget) => (t.kind === 'compose' ? t.service : t.process);

export const selfHostedRestartJob = definePlannedJob<SelfHostedRestartData>({
  name: 'selfhosted.restart',
  // docker's own follow deadline is 2 minutes and pm2's 1; the rest is room for the restart calls.
  timeoutMs: 5 * 60_000,
  async run(ctx, data) {
    const env = configuredEnv(ctx.config.environments, data.env);
    const t = data.target;
    let step = 0;
    const onProgress = (note: string) => ctx.progress(Math.min(90, 10 + 10 * step++), note);
    await ctx.progress(2, `checking ${nameOf(t)} is as it was when the restart was asked for`);
    if (t.kind === 'compose') {
      const engine = ctx.services.docker.engine(data.env, env);
      requireSameUnits(data.env, t.service, data.running, await runningNow(t, { engine }));
      await ctx.progress(5, `restarting ${t.service}`);
      const result = await restartService(engine, t.service, { onProgress });
      return renderSelfHostedRestartDone({
        env: data.env,
        target: t,
        durationMs: result.durationMs,
        units: result.containers.map((c) => ({ name: c.name, state: c.state, health: c.health, tookMs: c.tookMs })),
      });
    }
    const daemon = ctx.services.pm2.daemon(data.env, env);
    requireSameUnits(data.env, t.process, data.running, await runningNow(t, { daemon }));
    await ctx.progress(5, `restarting ${t.process}`);
    const result = await restartProcess(daemon, t.process, { onProgress });
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
  return chooseRestart(ctx, service).then(
    () => true,
    () => false,
  );
}

/** The self-hosted restart, planned: the service or process, and its containers or instances as they run now. */
export async function planSelfHostedRestart(
  ctx: CommandContext,
  service: string | undefined,
): Promise<Plan<SelfHostedRestartData>> {
  const { target, running } = await chooseRestart(ctx, service);
  const name = nameOf(target);
  return {
    command: 'restart',
    env: ctx.envName,
    args: { service },
    summary: `Restart ${target.kind === 'compose' ? 'compose service' : 'pm2 process'} \`${name}\` in ${ctx.envName}`,
    effects: [selfHostedRestartEffect(target)],
    targets: [
      target.kind === 'compose'
        ? { kind: 'compose-service', id: name, detail: `project ${target.project} on ${target.host}` }
        : { kind: 'pm2-process', id: name, detail: `PM2_HOME ${target.home}` },
      ...running.map((u) => ({
        kind: target.kind === 'compose' ? 'container' : 'pm2-instance',
        id: target.kind === 'compose' ? u.id.slice(0, 12) : u.name,
        detail:
          u.pid !== undefined || !u.startedAt
            ? `pid ${u.pid ?? 'none'}, ${u.restarts} restarts`
            : `started ${u.startedAt}`,
      })),
    ],
    preconditions: [{ what: `${name} runs exactly`, expected: describeRunning(running) }],
    data: { selfHosted: true, env: ctx.envName, target, running },
    plannedAt: ctx.services.clock().toISOString(),
  };
}

const restartArgs = z.object({ name: z.string().min(1).optional(), service: z.string().min(1).optional() });

/**
 * /ops restart for AWS as before, or for a compose service / pm2 process (a
 * job followed until it runs, and is healthy where it has a check). The
 * service may be given as a word (as for ECS) or as --service.
 */
export function withSelfHostedRestart<D>(
  aws: PlannedCommand<AnyArgsSchema, D>,
): PlannedCommand<typeof restartArgs, D | SelfHostedRestartData> {
  return {
    ...aws,
    summary: `${aws.summary}; or a compose service / pm2 process, followed until running (and healthy)`,
    usage: '[env] [service] [--service name]',
    examples: [...(aws.examples ?? []), 'restart esn --service api'],
    positionals: ['name'],
    args: restartArgs,
    jobs: [...(aws.jobs ?? []), selfHostedRestartJob],
    async plan(ctx, args) {
      const service = args.service ?? args.name;
      if (!(await restartsSelfHosted(ctx, service))) return aws.plan(ctx, { service });
      return planSelfHostedRestart(ctx, service);
    },
    needsApproval: aws.needsApproval
      ? (plan) => !isSelfHostedRestart(plan.data) && aws.needsApproval!(plan as Plan<D>)
      : undefined,
    async execute(ctx, plan) {
      const { data } = plan;
      if (!isSelfHostedRestart(data)) return aws.execute(ctx, plan as Plan<D>);
      return {
        job: {
          name: selfHostedRestartJob.name,
          data: { ...data },
          title: selfHostedRestartTitle(data.env, data.target),
        },
      };
    },
  };
}
