import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DescribeConfigurationSettingsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { config } from '../../commands/config.js';
import type { Reply } from '../../src/core/reply.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { awsContext } from '../support/aws-context.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const run = (env: string) => config.run(awsContext(config, env), {}) as Promise<Reply>;

describe('/ops config', () => {
  it('shows platform, instance type, scaling and only the names of environment variables', async () => {
    // DescribeConfigurationSettings as documented: one ConfigurationSettingsDescription with OptionSettings.
    aws.eb.on(DescribeConfigurationSettingsCommand).resolves({
      ConfigurationSettings: [
        {
          ApplicationName: 'expo-project',
          EnvironmentName: 'expo-project-prod-env',
          SolutionStackName: '64bit Amazon Linux 2023 v6.1.0 running Node.js 20',
          OptionSettings: [
            { Namespace: 'aws:ec2:instances', OptionName: 'InstanceTypes', Value: 't3.small, t3.medium' },
            { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'EnvironmentType', Value: 'LoadBalanced' },
            { Namespace: 'aws:elasticbeanstalk:environment', OptionName: 'LoadBalancerType', Value: 'application' },
            { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '1' },
            { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '4' },
            { Namespace: 'aws:autoscaling:trigger', OptionName: 'MeasureName', Value: 'CPUUtilization' },
            { Namespace: 'aws:autoscaling:trigger', OptionName: 'UpperThreshold', Value: '70' },
            { Namespace: 'aws:autoscaling:trigger', OptionName: 'LowerThreshold', Value: '30' },
            { Namespace: 'aws:autoscaling:trigger', OptionName: 'Unit', Value: 'Percent' },
            { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
            {
              Namespace: 'aws:elasticbeanstalk:application:environment',
              OptionName: 'DATABASE_URL',
              Value: 'postgres://app:hunter2-secret@db:5432/app',
            },
            { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'NODE_ENV', Value: 'production' },
          ],
        },
      ],
    });
    const reply = await run('prod');
    const text = renderReplyAsText(reply) + JSON.stringify(reply);
    expect(reply.tone).toBe('warning');
    expect(reply.text).toContain('min 1 instance: the guides keep at least 2');
    expect(text).toContain('64bit Amazon Linux 2023 v6.1.0 running Node.js 20');
    expect(text).toContain('t3.small, t3.medium');
    expect(text).toContain('min 1 / max 4 · on CPUUtilization 70/30 Percent');
    expect(text).toContain('DATABASE_URL');
    expect(text).toContain('NODE_ENV');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('production`');
  });

  it('names the IAM action when denied, and refuses environments without Beanstalk', async () => {
    aws.eb.on(DescribeConfigurationSettingsCommand).rejects(awsError('AccessDenied', 'not authorized'));
    await expect(run('prod')).rejects.toThrow('lacks `elasticbeanstalk:DescribeConfigurationSettings`');
    await expect(run('staging')).rejects.toThrow('has no Elastic Beanstalk environment');
  });
});
