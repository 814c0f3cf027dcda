import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DescribeEnvironmentsCommand, RebuildEnvironmentCommand } from '@aws-sdk/client-elastic-beanstalk';
import { rebuild, rebuildJob } from '../../commands/rebuild.js';
import { isJobRequest } from '../../src/core/command.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { AWS_CONFIG, awsContext } from '../support/aws-context.js';
import { fakeServices } from '../support/services.js';
import { healthyEnvironment } from '../fixtures/aws/beanstalk.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

describe('/ops rebuild', () => {
  it('is dangerous, says what it destroys on the approval card, and runs as a job', async () => {
    expect(rebuild.risk).toBe('dangerous');
    aws.eb.on(DescribeEnvironmentsCommand).resolves(healthyEnvironment);
    const ctx = awsContext(rebuild, 'prod');
    const plan = await rebuild.plan(ctx, {});
    expect(plan.effects[0]).toContain(
      'Elastic Beanstalk `expo-project-prod-env` (now Ready / Green): RebuildEnvironment terminates and recreates',
    );
    expect(plan.preconditions[0]).toEqual({ what: 'expo-project-prod-env is', expected: 'Ready' });
    const result = await rebuild.execute(ctx, plan);
    if (!isJobRequest(result)) throw new Error('expected a job');
    expect(result.job).toMatchObject({
      name: 'actions.rebuild',
      data: { env: 'prod', application: 'expo-project', environment: 'expo-project-prod-env' },
    });
    await expect(rebuild.plan(awsContext(rebuild, 'staging'), {})).rejects.toThrow('no Elastic Beanstalk environment');
  });

  it('names the IAM action when RebuildEnvironment is denied', async () => {
    aws.eb.on(RebuildEnvironmentCommand).rejects(awsError('AccessDenied', 'not authorized'));
    const job = rebuildJob.run(
      {
        jobId: '1',
        config: parseConfig(AWS_CONFIG, {}).config,
        log: createLogger('silent'),
        services: fakeServices({ aws: new AwsClientFactory() }),
        signal: new AbortController().signal,
        progress: async () => undefined,
      },
      { env: 'prod', application: 'expo-project', environment: 'expo-project-prod-env' },
    );
    await expect(job).rejects.toThrow('lacks `elasticbeanstalk:RebuildEnvironment`');
  });
});
