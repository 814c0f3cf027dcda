import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeEnvironmentResourcesCommand } from '@aws-sdk/client-elastic-beanstalk';
import { targets } from '../../commands/targets.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import type { Reply } from '../../src/core/reply.js';
import { awsError, hang, mockAws } from '../support/aws-mocks.js';
import { awsContext } from '../support/aws-context.js';

const aws = mockAws();
const elb = mockClient(ElasticLoadBalancingV2Client);
afterEach(() => {
  aws.reset();
  elb.reset();
});
afterAll(() => {
  aws.restore();
  elb.restore();
});

const LB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/expertconnect-alb/50dc6c495c0c9188';
const TG = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/73e2d6bc24d8a067`;
const run = (env: string) => targets.run(awsContext(targets, env), {}) as Promise<Reply>;

// Shapes as the ELBv2 API reference documents them (DescribeTargetGroups, DescribeTargetHealth).
function groups() {
  elb.on(DescribeLoadBalancersCommand, { Names: ['expertconnect-alb'] }).resolves({
    LoadBalancers: [{ LoadBalancerArn: LB_ARN, LoadBalancerName: 'expertconnect-alb', Type: 'application' }],
  });
  elb.on(DescribeTargetGroupsCommand, { LoadBalancerArn: LB_ARN }).resolves({
    TargetGroups: [
      {
        TargetGroupArn: TG('backend'),
        TargetGroupName: 'backend',
        Protocol: 'HTTP',
        Port: 3000,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: '/health',
        Matcher: { HttpCode: '200' },
        LoadBalancerArns: [LB_ARN],
      },
      { TargetGroupArn: TG('admin'), TargetGroupName: 'admin', Protocol: 'HTTP', Port: 8080 },
    ],
  });
}

describe('/ops targets', () => {
  it('names the unhealthy targets and their reasons, the SoleMate guide’s first step for 502s', async () => {
    groups();
    elb.on(DescribeTargetHealthCommand, { TargetGroupArn: TG('backend') }).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: '10.0.1.15', Port: 3000, AvailabilityZone: 'us-east-1a' }, TargetHealth: { State: 'healthy' } },
        {
          Target: { Id: '10.0.2.31', Port: 3000, AvailabilityZone: 'us-east-1b' },
          TargetHealth: {
            State: 'unhealthy',
            Reason: 'Target.FailedHealthChecks',
            Description: 'Health checks failed with these codes: [502]',
          },
        },
      ],
    });
    elb.on(DescribeTargetHealthCommand, { TargetGroupArn: TG('admin') }).resolves({
      TargetHealthDescriptions: [
        {
          Target: { Id: 'i-0abc', Port: 8080 },
          TargetHealth: {
            State: 'unhealthy',
            Reason: 'Elb.InternalError',
            Description: 'Health checks failed due to an internal error',
          },
        },
      ],
    });
    const reply = await run('staging');
    const text = renderReplyAsText(reply);
    expect(reply.tone).toBe('danger');
    expect(reply.text).toContain('no healthy target in admin');
    expect(text).toContain('backend HTTP:3000 · 1/2 healthy · check HTTP /health expects 200');
    expect(text).toContain('10.0.2.31:3000 (us-east-1b) unhealthy — Target.FailedHealthChecks');
    expect(text).toContain('Health checks failed with these codes: [502]');
    expect(text).toContain('Elb.InternalError: the load balancer could not check');
    // Unhealthy targets come before healthy ones.
    expect(text.indexOf('10.0.2.31')).toBeLessThan(text.indexOf('10.0.1.15'));
  });

  it('finds a Beanstalk environment’s own load balancer', async () => {
    aws.eb.on(DescribeEnvironmentResourcesCommand).resolves({
      EnvironmentResources: { LoadBalancers: [{ Name: LB_ARN }], AutoScalingGroups: [], Instances: [] },
    });
    elb
      .on(DescribeTargetGroupsCommand)
      .resolves({ TargetGroups: [{ TargetGroupArn: TG('web'), TargetGroupName: 'web' }] });
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [{ Target: { Id: 'i-1' }, TargetHealth: { State: 'healthy' } }],
    });
    const reply = await run('prod');
    expect(reply.tone).toBe('ok');
    expect(reply.text).toContain('every target is healthy (1 in 1 group)');
  });

  it('names the IAM action when access is denied, and keeps the other groups when one is slow', async () => {
    groups();
    elb.on(DescribeTargetHealthCommand, { TargetGroupArn: TG('backend') }).callsFake(hang);
    elb.on(DescribeTargetHealthCommand, { TargetGroupArn: TG('admin') }).resolves({
      TargetHealthDescriptions: [{ Target: { Id: 'i-0abc' }, TargetHealth: { State: 'healthy' } }],
    });
    const started = Date.now();
    const slow = await run('staging');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(slow.tone).toBe('warning');
    expect(renderReplyAsText(slow)).toContain('Elastic Load Balancing DescribeTargetHealth unreachable after');

    elb.reset();
    elb
      .on(DescribeLoadBalancersCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:sts::123:assumed-role/opsbot is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers',
        ),
      );
    await expect(run('staging')).rejects.toThrow('lacks `elasticloadbalancing:DescribeLoadBalancers`');
  });

  it('retries throttling and says so', async () => {
    groups();
    elb
      .on(DescribeTargetHealthCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded', { $retryable: { throttling: true } }))
      .resolves({ TargetHealthDescriptions: [{ Target: { Id: 'i-1' }, TargetHealth: { State: 'healthy' } }] });
    const reply = await run('staging');
    expect(renderReplyAsText(reply)).toContain('DescribeTargetHealth was throttled; retried 1×');
  });

  it('asks for a load balancer when the environment has none', async () => {
    await expect(run('bare')).rejects.toThrow('no load balancer');
  });
});
