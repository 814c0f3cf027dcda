import { describeEbEnvironment, describeEbResources } from './beanstalk.js';
import { describeEcsServices } from './ecs.js';
import { follow, pollSession, type FollowOptions } from './action-follow.js';
import type { ActionTarget } from './action-target.js';
import type { AwsClients } from './clients.js';
import { updateEcsService } from './rollout.js';
import { AwsError, type AwsSession } from './session.js';
import { autoScaling, beanstalk } from './sdk.js';

/** How many instances or tasks a target has, and what it is meant to have. */
export interface Capacity {
  desired: number;
  running: number;
  min?: number;
  max?: number;
  /** Beanstalk: the Auto Scaling group underneath. */
  group?: string;
}

async function describeGroup(s: AwsSession, name: string): Promise<Capacity> {
  const out = await s.call('autoscaling:DescribeAutoScalingGroups', (abortSignal) =>
    s.clients.autoscaling.send(new autoScaling.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }), {
      abortSignal,
    }),
  );
  const group = out.AutoScalingGroups?.[0];
  if (!group)
    throw new AwsError(`Auto Scaling has no group \`${name}\`.`, 'not-found', 'autoscaling:DescribeAutoScalingGroups');
  return {
    desired: group.DesiredCapacity ?? 0,
    running: (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length,
    min: group.MinSize,
    max: group.MaxSize,
    group: name,
  };
}

export async function currentCapacity(s: AwsSession, target: ActionTarget): Promise<Capacity> {
  if (target.kind === 'ecs') {
    const { services, missing } = await describeEcsServices(s, target.cluster, [target.service], 0);
    const svc = services[0];
    if (!svc)
      throw new AwsError(
        `ECS has no service \`${target.service}\` in cluster \`${target.cluster}\` (${missing[0]?.reason ?? 'missing'}).`,
        'not-found',
        'ecs:DescribeServices',
      );
    return { desired: svc.desired, running: svc.running };
  }
  const resources = await describeEbResources(s, target.environment);
  const name = resources.autoScalingGroups[0];
  if (!name)
    throw new AwsError(
      `\`${target.environment}\` has no Auto Scaling group (a single-instance environment cannot be scaled).`,
      'not-found',
      'elasticbeanstalk:DescribeEnvironmentResources',
    );
  return describeGroup(s, name);
}

/**
 * ECS: the service's desired count. Beanstalk: the environment's own option
 * settings (aws:autoscaling:asg MinSize = MaxSize = count, as `eb scale` does),
 * because Beanstalk reverts changes made to its Auto Scaling group directly.
 */
export async function setCapacity(s: AwsSession, target: ActionTarget, count: number): Promise<void> {
  if (target.kind === 'ecs') {
    await updateEcsService(s, { cluster: target.cluster, service: target.service, desiredCount: count });
    return;
  }
  const value = String(count);
  await s.call('elasticbeanstalk:UpdateEnvironment', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.UpdateEnvironmentCommand({
        EnvironmentName: target.environment,
        OptionSettings: [
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: value },
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: value },
        ],
      }),
      { abortSignal },
    ),
  );
}

/** Follows until `count` instances or tasks are in service (and a Beanstalk environment is Ready again). */
export async function followCapacity(
  clients: AwsClients,
  settings: Omit<FollowOptions, 'waitingFor' | 'afterTimeout'>,
  target: ActionTarget,
  count: number,
): Promise<{ running: number; events: string[] }> {
  let events: string[] = [];
  return follow(
    {
      ...settings,
      waitingFor: `${count} ${target.kind === 'ecs' ? 'tasks' : 'instances'} in service`,
      afterTimeout: 'Check it with `/ops status`.',
    },
    async () => {
      const s = pollSession(clients);
      if (target.kind === 'ecs') {
        const { services } = await describeEcsServices(s, target.cluster, [target.service], 3);
        const svc = services[0];
        events = svc?.events.map((e) => e.message) ?? [];
        const running = svc?.running ?? 0;
        if (svc && running === count && svc.pending === 0 && svc.desired === count)
          return { done: true, value: { running, events } };
        return {
          done: false,
          percent: progressTowards(running, count),
          note: `${running}/${count} tasks running${events[0] ? ` — ${events[0]}` : ''}`,
        };
      }
      const env = await describeEbEnvironment(s, target.application, target.environment);
      const capacity = await currentCapacity(s, target);
      if (env.status === 'Ready' && capacity.running === count)
        return { done: true, value: { running: capacity.running, events } };
      return {
        done: false,
        percent: progressTowards(capacity.running, count),
        note: `${env.status}, ${capacity.running}/${count} instances in service`,
      };
    },
  );
}

/** Scaling up fills the bar; scaling down (or to 0) lets it creep with time instead. */
function progressTowards(running: number, count: number): number | undefined {
  if (count === 0 || running > count) return undefined;
  return Math.min(100, (100 * running) / count);
}
