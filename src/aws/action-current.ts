import { describeEbEnvironment } from './beanstalk.js';
import { describeEcsServices, shortTaskDefinition } from './ecs.js';
import type { ActionTarget } from './action-target.js';
import { AwsError, type AwsSession } from './session.js';

/** What a target runs right now: the Beanstalk version label or the ECS task definition ("web:42"). */
export async function currentVersion(s: AwsSession, target: ActionTarget): Promise<string> {
  if (target.kind === 'beanstalk')
    return (await describeEbEnvironment(s, target.application, target.environment)).versionLabel ?? '(none)';
  const { services } = await describeEcsServices(s, target.cluster, [target.service], 0);
  if (!services[0])
    throw new AwsError(
      `ECS has no service \`${target.service}\` in cluster \`${target.cluster}\`.`,
      'not-found',
      'ecs:DescribeServices',
    );
  return shortTaskDefinition(services[0].taskDefinition);
}
