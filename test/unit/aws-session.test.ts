import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { AwsError, AwsSession, callLabel, settle } from '../../src/aws/session.js';
import { describeEcsServices } from '../../src/aws/ecs.js';
import { TimeoutError } from '../../src/errors.js';
import { awsError, hang, mockAws } from '../support/aws-mocks.js';

const aws = mockAws();
const factory = new AwsClientFactory();
const session = (opts = {}) =>
  new AwsSession(factory.forRegion('us-east-1'), { deadlineMs: 1500, backoffMs: 10, ...opts });

afterEach(() => aws.reset());
afterAll(() => aws.restore());

describe('AwsSession', () => {
  it('names calls as people read them', () => {
    expect(callLabel('ecs:DescribeServices')).toBe('ECS DescribeServices');
    expect(callLabel('elasticbeanstalk:DescribeEvents')).toBe('Elastic Beanstalk DescribeEvents');
    expect(callLabel('logs:FilterLogEvents')).toBe('CloudWatch Logs FilterLogEvents');
  });

  it('retries throttling with backoff and says so', async () => {
    aws.ecs
      .on(DescribeServicesCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves({ services: [], failures: [] });
    const s = session();
    await expect(describeEcsServices(s, 'c', ['svc'])).resolves.toEqual({ services: [], missing: [] });
    expect(aws.ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 3);
    expect(s.notes).toEqual(['ECS DescribeServices was throttled; retried 2× with backoff.']);
  });

  it('gives up on throttling after its retries with advice', async () => {
    aws.ecs.on(DescribeServicesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const err = await describeEcsServices(session({ maxThrottleRetries: 2 }), 'c', ['svc']).catch((e) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err.message).toContain('AWS is throttling ECS DescribeServices (retried 2× with backoff)');
  });

  it('turns AccessDenied into the missing IAM action', async () => {
    aws.ecs
      .on(DescribeServicesCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::123456789012:assumed-role/opsbot/x is not authorized to perform: ecs:DescribeServices on resource: * because no identity-based policy allows the ecs:DescribeServices action',
        ),
      );
    const err = await describeEcsServices(session({ policyHint: 'see README' }), 'c', ['svc']).catch((e) => e);
    expect(err).toMatchObject({ kind: 'denied', action: 'ecs:DescribeServices' });
    expect(err.message).toBe(
      "AWS denied ECS DescribeServices: opsbot's IAM role lacks `ecs:DescribeServices`. Add `ecs:DescribeServices` to its policy (see README).",
    );
  });

  it('names the slow call when the deadline passes', async () => {
    aws.ecs.on(DescribeServicesCommand).callsFake(hang);
    const started = Date.now();
    const err = await describeEcsServices(session({ deadlineMs: 300 }), 'c', ['svc']).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toBe('ECS DescribeServices unreachable after 0.3s');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('explains missing credentials and other AWS errors, and lets bugs through', async () => {
    aws.ecs
      .on(DescribeServicesCommand)
      .rejects(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      );
    await expect(describeEcsServices(session(), 'c', ['s'])).rejects.toThrow(/found no AWS credentials/);
    aws.ecs.reset();
    aws.ecs.on(DescribeServicesCommand).rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    await expect(describeEcsServices(session(), 'c', ['s'])).rejects.toMatchObject({
      kind: 'not-found',
      message: 'ECS DescribeServices: Cluster not found.',
    });
    await expect(
      session().call('ecs:DescribeServices', async () => {
        throw new TypeError('x is undefined');
      }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it('settle keeps user-facing failures as text and rethrows bugs', async () => {
    await expect(settle(Promise.reject(new TimeoutError('RDS DescribeDBInstances', 4000)))).resolves.toEqual({
      ok: false,
      error: 'RDS DescribeDBInstances unreachable after 4s',
    });
    await expect(settle(Promise.resolve(1))).resolves.toEqual({ ok: true, value: 1 });
    await expect(settle(Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
  });
});
