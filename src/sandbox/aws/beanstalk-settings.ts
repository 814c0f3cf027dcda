// Elastic Beanstalk option settings (Query protocol): the environment's configuration as
// DescribeConfigurationSettings answers it, over the simulated fleet.
import { AwsFault, type Input } from './protocol.js';
import type { Fleet } from './fleet.js';

export type Handler = (input: Input, fleet: Fleet) => unknown;

export function requireEnv(fleet: Fleet, name: unknown): void {
  if (name !== undefined && name !== fleet.names.environment) {
    throw new AwsFault('InvalidParameterValue', `No Environment found for EnvironmentName = '${String(name)}'.`);
  }
}

export function describeConfigurationSettings(input: Input, fleet: Fleet): unknown {
  requireEnv(fleet, input.EnvironmentName);
  const asg = fleet.eb.asg;
  return {
    ConfigurationSettings: [
      {
        ApplicationName: fleet.names.application,
        EnvironmentName: fleet.names.environment,
        DeploymentStatus: 'deployed',
        OptionSettings: [
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: String(asg.min) },
          { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: String(asg.max) },
          { Namespace: 'aws:autoscaling:asg', OptionName: 'Cooldown', Value: '360' },
          // Beanstalk's default trigger (NetworkOut), which the guides would have on CPU.
          { Namespace: 'aws:autoscaling:trigger', OptionName: 'MeasureName', Value: 'NetworkOut' },
          { Namespace: 'aws:autoscaling:trigger', OptionName: 'Statistic', Value: 'Average' },
          { Namespace: 'aws:autoscaling:trigger', OptionName: 'Unit', Value: 'Bytes' },
          { Namespace: 'aws:autoscaling:trigger', OptionName: 'UpperThreshold', Value: '6000000' },
          { Namespace: 'aws:autoscaling:trigger', OptionName: 'LowerThreshold', Value: '2000000' },
          { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'LoadBalanced' },
          { Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'InstanceType', Value: 't3.small' },
          { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'DeploymentPolicy', Value: 'Rolling' },
        ],
      },
    ],
  };
}
