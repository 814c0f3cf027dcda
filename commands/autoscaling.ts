import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import type { Plan } from '../src/core/plan.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../src/errors.js';
import { ACTION_HARD_LIMITS } from '../src/config/schema.js';
import { AUTOSCALING_MAX_LIMIT } from '../src/config/guide-autoscaling.js';
import { actionJob } from '../src/aws/action-job.js';
import { resolveTarget, targetLabel, type ActionTarget } from '../src/aws/action-target.js';
import { describeEcsAutoScaling, registerEcsCapacityRange } from '../src/aws/ecs-autoscaling.js';
import { describeEbAutoScaling, setEbCapacityRange } from '../src/aws/eb-autoscaling.js';
import { settle } from '../src/aws/session.js';
import { section } from '../views/blocks.js';
import { renderAutoScaling, renderAutoScalingSet } from '../views/autoscaling.js';
import { currentRange, followRange, rangeText, type Range } from './autoscaling/follow.js';

const USAGE = '/ops autoscaling [env] [service] [--min N --max M]';

/** The plan's data: a read (no min/max), or the target, its range when asked (the precondition) and the new one. */
export interface AutoScalingPlanData {
  env: string;
  target?: ActionTarget;
  from?: Range;
  min?: number;
  max?: number;
}
type AutoScalingJobData = Required<AutoScalingPlanData>;

export const autoscalingJob = definePlannedJob<AutoScalingJobData>({
  name: 'actions.autoscaling',
  timeoutMs: ACTION_HARD_LIMITS.rollout,
  // Setting a range twice leaves the same range.
  idempotent: true,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    const label = targetLabel(data.target);
    // Someone may have changed the range while this waited for approval: then from → to is not what was approved.
    const now = await currentRange(step(), data.target);
    requireUnchanged(
      rangeText(now) === rangeText(data.from),
      `${label} now scales between ${rangeText(now)}, not ${rangeText(data.from)} as when ${data.min} / ${data.max} was asked for; nothing was changed.`,
      `Look with \`/ops autoscaling ${data.env}\`, then ask again.`,
    );
    await ctx.progress(2, `setting min ${data.min} / max ${data.max}`);
    if (data.target.kind === 'ecs')
      await registerEcsCapacityRange(step(), data.target.cluster, data.target.service, data.min, data.max);
    else await setEbCapacityRange(step(), data.target.environment, data.min, data.max);
    const done = await followRange(clients, following(timing.rolloutTimeoutMs), data.target, data.min, data.max);
    return renderAutoScalingSet(data.env, label, rangeText(data.from), data.min, data.max, done.desired);
  },
});

const args = z.object({ service: z.string().optional(), min: z.string().optional(), max: z.string().optional() });

function count(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw new UserError(`\`--${flag} ${text}\` is not a count; write a whole number such as 2.`, `Usage: \`${USAGE}\``);
  const n = Number(text);
  if (n > AUTOSCALING_MAX_LIMIT)
    throw new UserError(
      `\`--${flag} ${n}\` is more than opsbot sets (${AUTOSCALING_MAX_LIMIT}).`,
      'Set that in the AWS console, where the cost is in front of you.',
    );
  return n;
}

async function planAutoScaling(ctx: CommandContext, raw: z.output<typeof args>): Promise<Plan<AutoScalingPlanData>> {
  const base = {
    command: 'autoscaling',
    env: ctx.envName,
    args: { ...raw },
    plannedAt: ctx.services.clock().toISOString(),
  };
  const wantMin = count('min', raw.min);
  const wantMax = count('max', raw.max);
  if (wantMin === undefined && wantMax === undefined) {
    if (raw.service) resolveTarget(ctx.envName, ctx.env, raw.service, USAGE);
    return {
      ...base,
      summary: `Show the auto scaling of ${ctx.envName}`,
      effects: ['Nothing changes.'],
      targets: [],
      preconditions: [],
      data: { env: ctx.envName },
    };
  }
  const target = resolveTarget(ctx.envName, ctx.env, raw.service, USAGE);
  const from = await currentRange(ctx.aws(), target);
  const min = wantMin ?? from?.min;
  const max = wantMax ?? from?.max;
  if (min === undefined || max === undefined)
    throw new UserError(
      `${targetLabel(target)} has no scaling range yet, so both are needed.`,
      `Give both: \`/ops autoscaling ${ctx.envName}${raw.service ? ` ${raw.service}` : ''} --min 2 --max 20\` (the SoleMate guide's range).`,
    );
  if (min > max)
    throw new UserError(
      `The minimum (${min}) is above the maximum (${max}).`,
      `Give a minimum at most the maximum, e.g. \`--min ${max} --max ${max}\` or \`--min ${min} --max ${min}\`.`,
    );
  const where = target.kind === 'beanstalk' ? target.environment : `${target.cluster}/${target.service}`;
  const how =
    target.kind === 'ecs'
      ? 'Application Auto Scaling RegisterScalableTarget (a desired count outside the range is moved inside it)'
      : 'UpdateEnvironment aws:autoscaling:asg MinSize/MaxSize (the environment updates its Auto Scaling group)';
  return {
    ...base,
    summary: `Set the auto scaling range of ${targetLabel(target)} to ${min} / ${max}`,
    effects: [`${targetLabel(target)} min / max ${rangeText(from)} → ${min} / ${max}, with ${how}.`],
    targets: [{ kind: target.kind === 'beanstalk' ? 'eb-environment' : 'ecs-service', id: where }],
    preconditions: [{ what: `${where} min / max`, expected: rangeText(from) }],
    data: { env: ctx.envName, target, from, min, max },
  };
}

async function show(ctx: CommandContext, service: string | undefined) {
  const s = ctx.aws();
  const services = service ? [service] : (ctx.env.ecs?.services ?? []);
  const ecsCluster = ctx.env.ecs?.cluster;
  const eb = service ? undefined : ctx.env.beanstalk;
  if (!ecsCluster && !eb)
    throw new UserError(
      `\`${ctx.envName}\` has neither Elastic Beanstalk nor ECS configured.`,
      `Add \`beanstalk: { application, environment }\` or \`ecs: { cluster, services: [...] }\` to environments.${ctx.envName} in ops.yml.`,
    );
  const [ecs, beanstalk] = await Promise.all([
    ecsCluster
      ? Promise.all(
          services.map(async (name) => ({ name, part: await settle(describeEcsAutoScaling(s, ecsCluster, name)) })),
        )
      : undefined,
    eb
      ? settle(describeEbAutoScaling(s, eb.application, eb.environment)).then((part) => ({
          name: eb.environment,
          part,
        }))
      : undefined,
  ]);
  return renderAutoScaling({ env: ctx.envName, ecs, beanstalk, notes: s.notes });
}

export const autoscaling = defineCommand({
  name: 'autoscaling',
  summary:
    "Auto scaling (ECS targets and policies, Beanstalk's group and trigger) against the guides; --min/--max sets it",
  usage: '[env] [service] [--min N --max M]',
  examples: ['autoscaling', 'autoscaling prod --min 2 --max 20', 'autoscaling staging backend --max 10'],
  // Reading is harmless; a new range changes what AWS may run (and cost), so a change goes through the gate.
  risk: 'write',
  positionals: ['service'],
  args,
  jobs: [autoscalingJob],
  plan: (ctx, raw) => planAutoScaling(ctx, raw),
  needsApproval: ({ data }) =>
    data.min !== undefined && rangeText(data.from ?? null) !== rangeText({ min: data.min, max: data.max! }),
  async execute(ctx, { data, args: raw }) {
    const { target, min, max } = data;
    if (!target || min === undefined || max === undefined)
      return show(ctx, typeof raw.service === 'string' ? raw.service : undefined);
    const from = data.from ?? null;
    if (rangeText(from) === rangeText({ min, max })) {
      const text = `${data.env}: ${targetLabel(target).replace(/`/g, '')} already scales between ${min} and ${max}; nothing to change`;
      return { text, tone: 'muted', blocks: [section(text)] };
    }
    const job: AutoScalingJobData = { env: data.env, target, from, min, max };
    return {
      job: {
        name: autoscalingJob.name,
        data: { ...job },
        title: `Set auto scaling of ${data.env}: ${targetLabel(target).replace(/`/g, '')} to ${min} / ${max}`,
      },
    };
  },
});
