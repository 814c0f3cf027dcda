import { describeEbEnvironment } from '../../src/aws/beanstalk.js';
import { describeEbConfig } from '../../src/aws/beanstalk-config.js';
import { follow, pollSession, type FollowOptions } from '../../src/aws/action-follow.js';
import type { ActionTarget } from '../../src/aws/action-target.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { describeEcsServices } from '../../src/aws/ecs.js';
import { describeScalableTarget } from '../../src/aws/ecs-autoscaling.js';
import type { AwsSession } from '../../src/aws/session.js';

/** "1 / 4", or "none" for an ECS service without a scalable target: the precondition's value. */
export type Range = { min: number; max: number } | null;
export const rangeText = (r: Range) => (r ? `${r.min} / ${r.max}` : 'none');

/** The target's min and max now: the ECS scalable target, or the Beanstalk environment's aws:autoscaling:asg settings. */
export async function currentRange(s: AwsSession, target: ActionTarget): Promise<Range> {
  if (target.kind === 'ecs') {
    const t = await describeScalableTarget(s, target.cluster, target.service);
    return t ? { min: t.min, max: t.max } : null;
  }
  const c = await describeEbConfig(s, target.application, target.environment);
  return c.minSize === undefined || c.maxSize === undefined ? null : { min: c.minSize, max: c.maxSize };
}

/**
 * Follows until the new range is in force: ECS — the scalable target shows it and the service's desired count is
 * inside it; Beanstalk — the environment is Ready again and its settings show it.
 */
export function followRange(
  clients: AwsClients,
  settings: Omit<FollowOptions, 'waitingFor' | 'afterTimeout'>,
  target: ActionTarget,
  min: number,
  max: number,
): Promise<{ desired?: number }> {
  return follow<{ desired?: number }>(
    {
      ...settings,
      waitingFor: `min / max ${min} / ${max} to apply`,
      afterTimeout: 'Check it with `/ops autoscaling`.',
    },
    async () => {
      const s = pollSession(clients);
      const range = await currentRange(s, target);
      const applied = range?.min === min && range.max === max;
      if (target.kind === 'ecs') {
        const svc = (await describeEcsServices(s, target.cluster, [target.service], 0)).services[0];
        const desired = svc?.desired;
        if (applied && desired !== undefined && desired >= min && desired <= max)
          return { done: true, value: { desired } };
        return { done: false, note: `min / max ${rangeText(range)}, desired ${desired ?? '?'}` };
      }
      const env = await describeEbEnvironment(s, target.application, target.environment);
      if (applied && env.status === 'Ready') return { done: true, value: {} };
      return { done: false, note: `${env.status}, min / max ${rangeText(range)}` };
    },
  );
}
