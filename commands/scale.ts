import { actionJob } from '../src/aws/action-job.js';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../src/errors.js';
import { ACTION_HARD_LIMITS } from '../src/config/schema.js';
import { resolveTarget, targetLabel, type ActionTarget } from '../src/aws/action-target.js';
import { currentCapacity, followCapacity, setCapacity } from '../src/aws/capacity.js';
import { renderScaleDone, scaleEffect, scaleJobTitle } from '../views/scale.js';

const USAGE = '/ops scale [env] [service] <count>';
/** A typo such as "scale 200" should not quietly buy 200 instances. */
const MAX_COUNT = 100;

/** The plan's data and the job's: `from` is the desired count seen at request time, the precondition. */
export interface ScaleJobData {
  env: string;
  target: ActionTarget;
  from: number;
  to: number;
}

export const scaleJob = definePlannedJob<ScaleJobData>({
  name: 'actions.scale',
  timeoutMs: ACTION_HARD_LIMITS.rollout,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    // Someone else may have scaled while this waited: then `from → to` is not what was approved.
    const now = (await currentCapacity(step(), data.target)).desired;
    const label = targetLabel(data.target);
    requireUnchanged(
      now === data.from,
      `${label} now has a desired count of ${now}, not ${data.from} as when scaling to ${data.to} was asked for; nothing was scaled.`,
      `Ask again with \`/ops scale ${data.env}${data.target.kind === 'ecs' ? ` ${data.target.service}` : ''} ${data.to}\`.`,
    );
    await ctx.progress(2, `setting ${data.to}`);
    await setCapacity(step(), data.target, data.to);
    const done = await followCapacity(clients, following(timing.rolloutTimeoutMs), data.target, data.to);
    return renderScaleDone({
      env: data.env,
      target: targetLabel(data.target),
      kind: data.target.kind,
      from: data.from,
      to: data.to,
      running: done.running,
      events: done.events,
    });
  },
});

const args = z.object({ first: z.string().optional(), second: z.string().optional() });

/** `scale 3` or `scale backend 3`: the count is always the last word. */
function parse(ctx: CommandContext, { first, second }: z.output<typeof args>): { target: ActionTarget; count: number } {
  const [service, countText] = second === undefined ? [undefined, first] : [first, second];
  if (countText === undefined)
    throw new UserError('`<count>` is required: how many instances or tasks to run.', `Usage: \`${USAGE}\``);
  if (!/^\d+$/.test(countText))
    throw new UserError(`\`${countText}\` is not a count; write a whole number such as 2.`, `Usage: \`${USAGE}\``);
  const count = Number(countText);
  if (count > MAX_COUNT)
    throw new UserError(
      `${count} is more than opsbot scales to (${MAX_COUNT}).`,
      'Scale that far in the AWS console, where the cost is in front of you.',
    );
  return { target: resolveTarget(ctx.envName, ctx.env, service, USAGE), count };
}

async function currentDesired(ctx: CommandContext, target: ActionTarget): Promise<number> {
  const s = ctx.aws();
  return (await currentCapacity(s, target)).desired;
}

export const scale = defineCommand({
  name: 'scale',
  summary: 'Set how many ECS tasks or Beanstalk instances run; scaling down (and always to 0) needs approval',
  usage: '[env] [service] <count>',
  examples: ['scale prod 4', 'scale prod backend 2', 'scale staging 0'],
  risk: 'write',
  positionals: ['first', 'second'],
  args,
  jobs: [scaleJob],
  async plan(ctx, raw) {
    const { target, count } = parse(ctx, raw);
    const from = await currentDesired(ctx, target);
    const label = targetLabel(target);
    const where = target.kind === 'beanstalk' ? target.environment : `${target.cluster}/${target.service}`;
    return {
      command: 'scale',
      env: ctx.envName,
      args: { ...raw },
      summary: `Scale ${label} from ${from} to ${count}`,
      effects: [scaleEffect(label, target.kind, from, count)],
      targets: [{ kind: target.kind === 'beanstalk' ? 'eb-environment' : 'ecs-service', id: where }],
      preconditions: [{ what: `${where} desired count`, expected: from }],
      data: { env: ctx.envName, target, from, to: count },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(_ctx, { data }) {
    return {
      job: {
        name: scaleJob.name,
        data: { ...data },
        title: scaleJobTitle(data.env, targetLabel(data.target), data.to),
      },
    };
  },
  // Scaling up runs at once; down (and always to 0) goes through the approval gate, from the same plan.
  needsApproval: ({ data }) => data.to === 0 || data.to < data.from,
});
