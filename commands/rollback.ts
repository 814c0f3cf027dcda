import { actionJob } from '../src/aws/action-job.js';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import type { Plan } from '../src/core/plan.js';
import { UserError, requireUnchanged } from '../src/errors.js';
import { ACTION_HARD_LIMITS } from '../src/config/schema.js';
import { resolveTarget, targetLabel, type ActionTarget } from '../src/aws/action-target.js';
import {
  deployEbVersion,
  planEbRollback,
  planEcsRollback,
  updateEcsService,
  type RollbackPlan,
} from '../src/aws/rollout.js';
import { followEbEnvironment, followEcsDeployment } from '../src/aws/action-follow-rollout.js';
import { currentVersion } from '../src/aws/action-current.js';
import { renderRolloutDone, rollbackEffect, rollbackJobTitle, rolloutFailure } from '../views/rollback.js';

const USAGE = '/ops rollback [env] [version] [--service name]';

/** The plan's data, which is also the job's: the frozen target, the version running at request time and the one to deploy. */
export interface RollbackJobData {
  env: string;
  target: ActionTarget;
  from: string;
  to: string;
}

export const rollbackJob = definePlannedJob<RollbackJobData>({
  name: 'actions.rollback',
  timeoutMs: ACTION_HARD_LIMITS.rollout,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    const label = targetLabel(data.target);
    // Someone may have deployed while the request waited for approval: then this rollback is no longer what was approved.
    const now = await currentVersion(step(), data.target);
    requireUnchanged(
      now === data.from,
      `${data.env} now runs \`${now}\`, not \`${data.from}\` as when the rollback was approved; nothing was deployed.`,
      `${label} changed since. Ask again with \`/ops rollback ${data.env}\` (or \`/ops rollback ${data.env} ${data.to}\`).`,
    );
    const since = new Date(Date.now() - 5000);
    await ctx.progress(2, `deploying ${data.to}`);
    const settings = following(timing.rolloutTimeoutMs);
    let outcome;
    if (data.target.kind === 'beanstalk') {
      await deployEbVersion(step(), data.target.environment, data.to);
      outcome = await followEbEnvironment(clients, settings, { ...data.target, since, expectVersion: data.to });
    } else {
      const started = await updateEcsService(step(), {
        cluster: data.target.cluster,
        service: data.target.service,
        taskDefinition: data.to,
      });
      outcome = await followEcsDeployment(clients, settings, { ...data.target, deploymentId: started.deploymentId });
    }
    const view = {
      action: 'rollback' as const,
      env: data.env,
      target: label,
      from: data.from,
      to: data.to,
      ...outcome,
    };
    if (!outcome.ok) {
      const { message, hint } = rolloutFailure(view);
      throw new UserError(message, hint);
    }
    return renderRolloutDone(view);
  },
});

async function planRollback(
  ctx: CommandContext,
  version: string | undefined,
  service: string | undefined,
): Promise<Plan<RollbackJobData>> {
  const target = resolveTarget(ctx.envName, ctx.env, service, USAGE);
  const s = ctx.aws();
  const p: RollbackPlan =
    target.kind === 'beanstalk'
      ? await planEbRollback(s, target.application, target.environment, version)
      : await planEcsRollback(s, target.cluster, target.service, version);
  const label = targetLabel(target);
  const where = target.kind === 'beanstalk' ? target.environment : `${target.cluster}/${target.service}`;
  return {
    command: 'rollback',
    env: ctx.envName,
    args: { version, service },
    summary: `Roll back ${label} from \`${p.from}\` to \`${p.to}\``,
    effects: [rollbackEffect(label, p.from, p.to)],
    targets: [
      { kind: target.kind === 'beanstalk' ? 'eb-environment' : 'ecs-service', id: where },
      { kind: target.kind === 'beanstalk' ? 'app-version' : 'task-definition', id: p.to },
    ],
    preconditions: [{ what: `${where} runs`, expected: p.from }],
    data: { env: ctx.envName, target, from: p.from, to: p.to },
    plannedAt: ctx.services.clock().toISOString(),
  };
}

export const rollback = defineCommand({
  name: 'rollback',
  summary:
    'Deploy the previous (or named) version: Beanstalk application version or ECS task definition revision; followed until healthy',
  usage: '[env] [version] [--service name]',
  examples: ['rollback prod', 'rollback prod app-v41', 'rollback prod 41 --service backend'],
  risk: 'dangerous',
  positionals: ['version'],
  args: z.object({ version: z.string().min(1).optional(), service: z.string().min(1).optional() }),
  jobs: [rollbackJob],
  plan: (ctx, { version, service }) => planRollback(ctx, version, service),
  async execute(_ctx, plan) {
    const { data } = plan;
    return {
      job: {
        name: rollbackJob.name,
        data: { ...data },
        title: rollbackJobTitle(data.env, targetLabel(data.target), data.to),
      },
    };
  },
});
