import { z } from 'zod';
import { actionJob } from '../src/aws/action-job.js';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { defineJob } from '../src/core/job.js';
import { UserError } from '../src/errors.js';
import { ACTION_HARD_LIMITS } from '../src/config/schema.js';
import { describeEbEnvironment } from '../src/aws/beanstalk.js';
import { rebuildEbEnvironment } from '../src/aws/rebuild.js';
import { followEbEnvironment } from '../src/aws/action-follow-rollout.js';
import { renderRolloutDone, rolloutFailure } from '../views/rollback.js';

interface RebuildJobData {
  env: string;
  application: string;
  environment: string;
}

export const rebuildJob = defineJob<RebuildJobData>({
  name: 'actions.rebuild',
  timeoutMs: ACTION_HARD_LIMITS.rollout,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    const since = new Date(Date.now() - 5000);
    await ctx.progress(2, 'rebuilding');
    await rebuildEbEnvironment(step(), data.environment);
    const outcome = await followEbEnvironment(clients, following(timing.rolloutTimeoutMs), {
      application: data.application,
      environment: data.environment,
      since,
    });
    const view = {
      action: 'rebuild' as const,
      env: data.env,
      target: `Elastic Beanstalk \`${data.environment}\``,
      ...outcome,
    };
    if (!outcome.ok) {
      const { message, hint } = rolloutFailure(view);
      throw new UserError(message, hint);
    }
    return renderRolloutDone(view);
  },
});

/** The one decision of a rebuild (kept apart so it converts to a frozen plan): which environment, and that it exists. */
async function rebuildPlan(ctx: CommandContext): Promise<RebuildJobData & { status: string }> {
  const eb = ctx.env.beanstalk;
  if (!eb)
    throw new UserError(
      `\`${ctx.envName}\` has no Elastic Beanstalk environment to rebuild.`,
      'For ECS, `/ops restart` replaces every task.',
    );
  const current = await describeEbEnvironment(ctx.aws(), eb.application, eb.environment);
  return {
    env: ctx.envName,
    application: eb.application,
    environment: eb.environment,
    status: `${current.status} / ${current.health}`,
  };
}

export const rebuild = defineCommand({
  name: 'rebuild',
  summary: 'Rebuild the Beanstalk environment (new instances, ASG and load balancer); followed until Ready',
  usage: '[env]',
  examples: ['rebuild staging'],
  risk: 'dangerous',
  args: z.object({}),
  jobs: [rebuildJob],
  async describeEffect(ctx) {
    const plan = await rebuildPlan(ctx);
    return `Elastic Beanstalk \`${plan.environment}\` (now ${plan.status}): RebuildEnvironment terminates and recreates every instance, the Auto Scaling group and the load balancer — minutes of downtime; the load balancer's DNS name stays.`;
  },
  async run(ctx) {
    const plan = await rebuildPlan(ctx);
    const data: RebuildJobData = { env: plan.env, application: plan.application, environment: plan.environment };
    return { job: { name: rebuildJob.name, data: { ...data }, title: `Rebuild ${ctx.envName}: ${data.environment}` } };
  },
});
