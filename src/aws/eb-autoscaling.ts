import { describeEbConfig, type EbConfigView } from './beanstalk-config.js';
import { currentCapacity, type Capacity } from './capacity.js';
import { settle, type AwsSession, type Settled } from './session.js';
import { beanstalk } from './sdk.js';

export interface EbAutoScalingView {
  environment: string;
  /** The environment's own option settings (aws:autoscaling:asg and aws:autoscaling:trigger): what Beanstalk keeps. */
  config: Pick<EbConfigView, 'minSize' | 'maxSize' | 'cooldownSeconds' | 'trigger' | 'environmentType'>;
  /** The Auto Scaling group underneath, live (DescribeAutoScalingGroups): desired and in-service instances. */
  group: Settled<Capacity>;
}

export async function describeEbAutoScaling(
  s: AwsSession,
  application: string,
  environment: string,
): Promise<EbAutoScalingView> {
  const [config, group] = await Promise.all([
    describeEbConfig(s, application, environment),
    settle(currentCapacity(s, { kind: 'beanstalk', application, environment })),
  ]);
  const { minSize, maxSize, cooldownSeconds, trigger, environmentType } = config;
  return { environment, config: { minSize, maxSize, cooldownSeconds, trigger, environmentType }, group };
}

/**
 * Min and max through the environment's option settings, as the console's Capacity page does: Beanstalk reverts a
 * change made to its Auto Scaling group directly.
 */
export async function setEbCapacityRange(s: AwsSession, environment: string, min: number, max: number): Promise<void> {
  await s.call('elasticbeanstalk:UpdateEnvironment', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.UpdateEnvironmentCommand({
        EnvironmentName: environment,
        OptionSettings: [
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: String(min) },
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: String(max) },
        ],
      }),
      { abortSignal },
    ),
  );
}
