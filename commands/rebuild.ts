import { z } from 'zod';
import { actionJob } from '../src/aws/action-job.js';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import type { Plan } from '../src/core/plan.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../src/errors.js';
import { ACTION_HARD_LIMITS } from '../src/config/schema.js';
import { describeEbEnvironment } from '../src/aws/beanstalk.js';
import { rebuildEbEnvironment } from '../src/aws/rebuild.js';
import { followEbEnvironment } from '../src/aws/action-follow-rollout.js';
import { renderRolloutDone, rolloutFailure } from '../views/rollback.js';

/** The plan's data and the job's: the environment, and its status and version when the rebuild was asked for. */
export interface RebuildJobData {
  env: string;
  application: string;
  environment: string;
  /** Absent only in jobs queued before plans were frozen. */
  status?: string;
  versionLabel?: string | null;
}

export const rebuildJob = definePlannedJob<RebuildJobData>({
  name: 'actions.rebuild',
  timeoutMs: ACTION_HARD_LIMITS.rollout,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    if (data.status !== undefined) {
      // A deploy or another operation in between means rebuilding something other than what was approved.
      const now = await describeEbEnvironment(step(), data.application, data.environment);
      const again = `Look with \`/ops status ${data.env}\`, then ask again with \`/ops rebuild ${data.env}\`.`;
      requireUnchanged(
        now.status === data.status,
        `\`${data.environment}\` is now ${now.status}, not ${data.status} as when the rebuild was approved; nothing was rebuilt.`,
        again,
      );
      requireUnchanged(
        (now.versionLabel ?? null) === (data.versionLabel ?? null),
        `\`${data.environment}\` now runs \`${now.versionLabel ?? 'no version'}\`, not \`${data.versionLabel ?? 'no version'}\` as when the rebuild was approved; nothing was rebuilt.`,
        again,
      );
    }
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

/** The one decision of a rebuild, planned: which environment, that it exists, and its status and version now. */
async function planRebuild(ctx: CommandContext): Promise<Plan<RebuildJobData>> {
  const eb = ctx.env.beanstalk;
  if (!eb)
    throw new UserError(
      `\`${ctx.envName}\` has no Elastic Beanstalk environment to rebuild.`,
      'For ECS, `/ops restart` replaces every task.',
    );
  const current = await describeEbEnvironment(ctx.aws(), eb.application, eb.environment);
  const versionLabel = current.versionLabel ?? null;
  return {
    command: 'rebuild',
    env: ctx.envName,
    args: {},
    summary: `Rebuild Elastic Beanstalk \`${eb.environment}\` (minutes of downtime)`,
    effects: [
      `Elastic Beanstalk \`${eb.environment}\` (now ${current.status} / ${current.health}): RebuildEnvironment terminates and recreates every instance, the Auto Scaling group and the load balancer — minutes of downtime; the load balancer's DNS name stays.`,
    ],
    targets: [{ kind: 'eb-environment', id: eb.environment, detail: `application ${eb.application}` }],
    preconditions: [
      { what: `${eb.environment} is`, expected: current.status },
      { what: `${eb.environment} runs`, expected: versionLabel },
    ],
    data: {
      env: ctx.envName,
      application: eb.application,
      environment: eb.environment,
      status: current.status,
      versionLabel,
    },
    plannedAt: ctx.services.clock().toISOString(),
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
  plan: (ctx) => planRebuild(ctx),
  async execute(_ctx, { data }) {
    return { job: { name: rebuildJob.name, data: { ...data }, title: `Rebuild ${data.env}: ${data.environment}` } };
  },
});
