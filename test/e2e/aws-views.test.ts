import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeLogGroupsCommand, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { TestApp, replyText } from '../support/test-app.js';
import { mockAws } from '../support/aws-mocks.js';
import { AWS_CONFIG } from '../support/aws-context.js';

const aws = mockAws();
const elb = mockClient(ElasticLoadBalancingV2Client);
const LB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/expertconnect-alb/50dc6c495c0c9188';

describe('targets, logs insights and logs retention through the Slack harness', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: AWS_CONFIG });
  });
  afterEach(() => {
    aws.reset();
    elb.reset();
  });
  afterAll(async () => {
    await app?.stop();
    aws.restore();
    elb.restore();
  });

  it('/ops targets staging names the failing target and its reason', async () => {
    elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: LB_ARN }] });
    elb.on(DescribeTargetGroupsCommand).resolves({
      TargetGroups: [{ TargetGroupArn: `${LB_ARN}-tg`, TargetGroupName: 'backend', Protocol: 'HTTP', Port: 3000 }],
    });
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        {
          Target: { Id: '10.0.2.31', Port: 3000 },
          TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' },
        },
      ],
    });
    const text = replyText(await app.ask('targets staging'));
    expect(text).toContain('no healthy target in backend');
    expect(text).toContain('Target.Timeout');
  });

  it('/ops logs insights staging errors runs as a job and ends with the table', async () => {
    aws.logs.on(StartQueryCommand).resolves({ queryId: 'q-e2e' });
    aws.logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Scheduled', results: [] })
      .resolves({
        status: 'Complete',
        statistics: { recordsScanned: 42, bytesScanned: 2048, recordsMatched: 1 },
        results: [
          [
            { field: '@timestamp', value: '2026-11-23 08:55:12.000' },
            { field: '@message', value: 'ERROR payment gateway timeout' },
          ],
        ],
      });
    const sent = await app.command('logs insights staging errors --since 2h');
    expect(sent.status).toBe(200);
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && JSON.stringify(c.args).includes('ERROR payment gateway timeout'),
      { timeoutMs: 10_000 },
    );
    expect(aws.logs.commandCalls(StartQueryCommand)[0].args[0].input.logGroupNames).toEqual([
      '/ecs/expertconnect-prod-backend',
      '/ecs/expertconnect-prod-worker',
    ]);
  });

  it('/ops logs retention staging compares with the guide', async () => {
    aws.logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix: string }) => ({
      logGroups: [{ logGroupName: input.logGroupNamePrefix, retentionInDays: 30 }],
    }));
    const text = replyText(await app.ask('logs retention staging'));
    expect(text).toContain('every log group keeps its logs as recommended');
  });
});
