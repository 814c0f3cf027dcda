import type { AwsSession } from './session.js';
import { beanstalk } from './sdk.js';

/** A Beanstalk environment's configuration as `/ops config` shows it. Environment variable values never leave here. */
export interface EbConfigView {
  platform?: string;
  instanceTypes: string[];
  environmentType?: string;
  loadBalancerType?: string;
  minSize?: number;
  maxSize?: number;
  /** aws:autoscaling:asg Cooldown, seconds (Beanstalk's default is 360). */
  cooldownSeconds?: number;
  trigger?: {
    measure?: string;
    statistic?: string;
    unit?: string;
    upper?: string;
    lower?: string;
    /** Minutes: how often the trigger's metric is looked at, and how long it must be breached. */
    period?: string;
    breachDuration?: string;
  };
  healthCheckUrl?: string;
  healthReporting?: string;
  /** Only the names: the values are secrets as often as not (DATABASE_URL, API keys). */
  envVarNames: string[];
}

const ENV_NAMESPACE = 'aws:elasticbeanstalk:application:environment';

export async function describeEbConfig(s: AwsSession, application: string, environment: string): Promise<EbConfigView> {
  const out = await s.call('elasticbeanstalk:DescribeConfigurationSettings', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.DescribeConfigurationSettingsCommand({
        ApplicationName: application,
        EnvironmentName: environment,
      }),
      { abortSignal },
    ),
  );
  const settings = out.ConfigurationSettings?.[0];
  const options = settings?.OptionSettings ?? [];
  const get = (namespace: string, name: string) =>
    options.find((o) => o.Namespace === namespace && o.OptionName === name)?.Value || undefined;
  const num = (v: string | undefined) => (v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v));
  const instanceTypes = (
    get('aws:ec2:instances', 'InstanceTypes') ??
    get('aws:autoscaling:launchconfiguration', 'InstanceType') ??
    ''
  )
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    platform:
      settings?.SolutionStackName ?? settings?.PlatformArn?.replace(/^arn:aws:elasticbeanstalk:[^:]*::platform\//, ''),
    instanceTypes,
    environmentType: get('aws:elasticbeanstalk:environment', 'EnvironmentType'),
    loadBalancerType: get('aws:elasticbeanstalk:environment', 'LoadBalancerType'),
    minSize: num(get('aws:autoscaling:asg', 'MinSize')),
    maxSize: num(get('aws:autoscaling:asg', 'MaxSize')),
    cooldownSeconds: num(get('aws:autoscaling:asg', 'Cooldown')),
    trigger: {
      measure: get('aws:autoscaling:trigger', 'MeasureName'),
      statistic: get('aws:autoscaling:trigger', 'Statistic'),
      unit: get('aws:autoscaling:trigger', 'Unit'),
      upper: get('aws:autoscaling:trigger', 'UpperThreshold'),
      lower: get('aws:autoscaling:trigger', 'LowerThreshold'),
      period: get('aws:autoscaling:trigger', 'Period'),
      breachDuration: get('aws:autoscaling:trigger', 'BreachDuration'),
    },
    healthCheckUrl: get('aws:elasticbeanstalk:application', 'Application Healthcheck URL'),
    healthReporting: get('aws:elasticbeanstalk:healthreporting:system', 'SystemType'),
    // Names only, deliberately: the Value of these options is never read.
    envVarNames: options
      .filter((o) => o.Namespace === ENV_NAMESPACE && o.OptionName)
      .map((o) => o.OptionName!)
      .sort(),
  };
}
