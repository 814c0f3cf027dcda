import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeAlarmsCommand, PutMetricAlarmCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DescribeEnvironmentResourcesCommand } from '@aws-sdk/client-elastic-beanstalk';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { alarmsAudit, alarmsCreateJob } from '../../commands/alarms-audit.js';
import { isJobRequest } from '../../src/core/command.js';
import type { Reply } from '../../src/core/reply.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { awsContext } from '../support/aws-context.js';
import { fakeServices } from '../support/services.js';
import { environmentResources } from '../fixtures/aws/beanstalk.js';

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

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:expo-alerts';
const CONFIG = `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: expo-project, environment: expo-project-prod-env }
    rds: { instance: expo-project-prod-db }
    alarms: { prefix: expo-project-prod, snsTopic: ${TOPIC} }
  notopic:
    region: us-east-1
    beanstalk: { application: expo-project, environment: expo-project-prod-env }
    rds: { instance: expo-project-prod-db }
  invoice:
    region: us-east-1
    ecs: { cluster: invoice-mvp-cluster, services: [invoice-backend-service] }
    loadBalancer: app/invoice-alb/7e1b3c2d4f5a6b7c
    alarms: { prefix: invoice-prod, guide: invoice }
`;
const LB_DIM = 'app/awseb-AWSEB-1RYV3RV3J0AB/50dc6c495c0c9188';

const ctx = (env: string) => awsContext(alarmsAudit, env, { configYaml: CONFIG });
const ask = async (env: string, create = false) => {
  const c = ctx(env);
  return alarmsAudit.execute(c, await alarmsAudit.plan(c, { create }));
};

/** DescribeAlarms' MetricAlarm as documented, with the fields the audit compares. */
function metricAlarm(over: Partial<MetricAlarm>): MetricAlarm {
  return {
    AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${over.AlarmName}`,
    ActionsEnabled: true,
    AlarmActions: [TOPIC],
    OKActions: [],
    StateValue: 'OK',
    StateReason: 'Threshold Crossed',
    EvaluationPeriods: 1,
    Period: 300,
    Statistic: 'Average',
    ...over,
  };
}

const existing: MetricAlarm[] = [
  metricAlarm({
    AlarmName: 'expo-project-prod-db-cpu',
    Namespace: 'AWS/RDS',
    MetricName: 'CPUUtilization',
    Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'expo-project-prod-db' }],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 95,
  }),
  metricAlarm({
    AlarmName: 'expo-project-prod-storage-low',
    Namespace: 'AWS/RDS',
    MetricName: 'FreeStorageSpace',
    Statistic: 'Minimum',
    Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'expo-project-prod-db' }],
    ComparisonOperator: 'LessThanThreshold',
    Threshold: 2 * 1024 ** 3,
  }),
  metricAlarm({
    AlarmName: 'expo-project-prod-5xx',
    Namespace: 'AWS/ApplicationELB',
    MetricName: 'HTTPCode_Target_5XX_Count',
    Statistic: 'Sum',
    Dimensions: [{ Name: 'LoadBalancer', Value: LB_DIM }],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 10,
    AlarmActions: [],
  }),
  // Someone else's environment: must not count.
  metricAlarm({
    AlarmName: 'other-db-cpu',
    Namespace: 'AWS/RDS',
    MetricName: 'CPUUtilization',
    Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'other-db' }],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 90,
  }),
];

function world(alarms: MetricAlarm[] = existing) {
  let all = [...alarms];
  aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
  aws.cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[]; NextToken?: string }) => {
    const list = input.AlarmNames ? all.filter((a) => input.AlarmNames!.includes(a.AlarmName!)) : all;
    // Two pages, to show the audit reads past the first.
    if (input.AlarmNames) return { MetricAlarms: list };
    return input.NextToken ? { MetricAlarms: list.slice(2) } : { MetricAlarms: list.slice(0, 2), NextToken: 'page-2' };
  });
  aws.cw.on(PutMetricAlarmCommand).callsFake((input: MetricAlarm) => {
    all = [...all.filter((a) => a.AlarmName !== input.AlarmName), { ...input, StateValue: 'INSUFFICIENT_DATA' }];
    return {};
  });
}

const runJob = (data: unknown) =>
  alarmsCreateJob.run(
    {
      jobId: '1',
      config: parseConfig(CONFIG, {}).config,
      log: createLogger('silent'),
      services: fakeServices({ aws: new AwsClientFactory() }),
      signal: new AbortController().signal,
      progress: async () => undefined,
    },
    data as never,
  );

describe('/ops alarms audit', () => {
  it("compares a Beanstalk environment's alarms with the Expo guide's, by metric and resource", async () => {
    world();
    const reply = (await ask('prod')) as Reply;
    const text = renderReplyAsText(reply);
    expect(reply.tone).toBe('warning');
    expect(reply.text).toBe('prod: 2 of 5 recommended alarms missing, 2 misconfigured');
    expect(text).toMatch(
      /Database CPU > 90 %\s+RDS expo-project-prod-db\s+critical\s+≠ differs\s+expo-project-prod-db-cpu\n/,
    );
    expect(text).toContain('expo-project-prod-db-cpu (Database CPU > 90 %): threshold 95, guide 90 (fires later)');
    expect(text).toMatch(
      /Database storage < 2 GB\s+RDS expo-project-prod-db\s+critical\s+✓ ok\s+expo-project-prod-storage-low/,
    );
    expect(text).toMatch(
      /expo-project-prod-5xx \(5xx error rate > 5 %\): watches the HTTPCode_Target_5XX_Count count, the guide a rate \(% of RequestCount\); notifies no one \(no alarm action\)/,
    );
    expect(text).toMatch(
      /CPU > 70 % for 10 minutes\s+Auto Scaling group awseb-e-rpqsewtp2j-s…\s+warning\s+✗ missing\s+expo-project-prod-cpu-high/,
    );
    expect(text).toMatch(/Response time > 1 second\s+ALB app\/awseb-AWSEB-1RYV3RV3J0AB\/50dc6c…\s+warning\s+✗ missing/);
    expect(text).toContain('Expo Maintenance and Operations Guide → Setting Up Alerts');
    expect(text).not.toContain('other-db-cpu');
  });

  it('--create is gated, creates only the missing ones wired to the SNS topic, and is idempotent', async () => {
    world();
    const c = ctx('prod');
    const plan = await alarmsAudit.plan(c, { create: true });
    expect(alarmsAudit.needsApproval!(plan)).toBe(true);
    expect(alarmsAudit.needsApproval!(await alarmsAudit.plan(c, { create: false }))).toBe(false);
    expect(plan.targets.map((t) => t.id)).toEqual(['expo-project-prod-cpu-high', 'expo-project-prod-latency-high']);
    expect(plan.preconditions[0]).toEqual({ what: 'alarm expo-project-prod-cpu-high exists', expected: false });
    const result = await alarmsAudit.execute(c, plan);
    if (!isJobRequest(result)) throw new Error('expected a job');
    const done = await runJob(result.job.data);
    expect(done.text).toBe('prod: 2 recommended alarms created');
    const puts = aws.cw.commandCalls(PutMetricAlarmCommand).map((x) => x.args[0].input);
    expect(puts[0]).toMatchObject({
      AlarmName: 'expo-project-prod-cpu-high',
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [
        { Name: 'AutoScalingGroupName', Value: 'awseb-e-rpqsewtp2j-stack-AWSEBAutoScalingGroup-QSB2ZO88SXZT' },
      ],
      Statistic: 'Average',
      Period: 300,
      EvaluationPeriods: 2,
      Threshold: 70,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
    });
    // Running the job again: the alarms exist now, so nothing is put twice.
    await expect(runJob(result.job.data)).rejects.toThrow('now exist, but did not when this was approved');
    expect(aws.cw).toHaveReceivedCommandTimes(PutMetricAlarmCommand, 2);
    // And asking again finds nothing missing.
    const again = await alarmsAudit.plan(c, { create: true });
    expect(again.targets).toEqual([]);
    expect(((await alarmsAudit.execute(c, again)) as Reply).text).toContain('nothing to create');
  });

  it('a rate is created as metric math over two sums (the Invoice guide), with one alarm per target group', async () => {
    aws.cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [
        {
          LoadBalancerArn:
            'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/invoice-alb/7e1b3c2d4f5a6b7c',
        },
      ],
    });
    elb.on(DescribeTargetGroupsCommand).resolves({
      TargetGroups: [
        {
          TargetGroupArn:
            'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/invoice-api/73e2d6bc24d8a067',
          TargetGroupName: 'invoice-api',
        },
      ],
    });
    const reply = (await ask('invoice')) as Reply;
    expect(reply.text).toBe('invoice: 3 of 3 recommended alarms missing, 0 misconfigured');
    const c = ctx('invoice');
    await expect(alarmsAudit.plan(c, { create: true })).rejects.toThrow('`invoice` has no SNS topic');
    const { config } = parseConfig(CONFIG.replace('guide: invoice }', `guide: invoice, snsTopic: ${TOPIC} }`), {});
    const withTopic = { ...c, env: config.environments.invoice, config };
    const plan = await alarmsAudit.plan(withTopic, { create: true });
    expect(plan.targets.map((t) => t.id)).toEqual([
      'invoice-prod-5xx-rate-critical',
      'invoice-prod-latency-p99',
      'invoice-prod-invoice-api-health-checks',
    ]);
    const created = new Set<string>();
    aws.cw.on(PutMetricAlarmCommand).callsFake((input: MetricAlarm) => {
      created.add(input.AlarmName!);
      return {};
    });
    aws.cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
      MetricAlarms: (input.AlarmNames ?? []).filter((n) => created.has(n)).map((n) => metricAlarm({ AlarmName: n })),
    }));
    const result = await alarmsAudit.execute(withTopic, plan);
    if (!isJobRequest(result)) throw new Error('expected a job');
    expect((await runJob(result.job.data)).text).toBe('invoice: 3 recommended alarms created');
    const [rate, p99, health] = aws.cw.commandCalls(PutMetricAlarmCommand).map((x) => x.args[0].input);
    expect(rate.Metrics?.map((m) => m.Expression ?? m.MetricStat?.Metric?.MetricName)).toEqual([
      'HTTPCode_Target_5XX_Count',
      'RequestCount',
      'IF(d > 0, 100 * m / d, 0)',
    ]);
    expect(rate).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' });
    expect(p99).toMatchObject({ ExtendedStatistic: 'p99', Threshold: 5, MetricName: 'TargetResponseTime' });
    expect(health).toMatchObject({
      MetricName: 'UnHealthyHostCount',
      EvaluationPeriods: 3,
      Period: 60,
      Dimensions: [
        { Name: 'TargetGroup', Value: 'targetgroup/invoice-api/73e2d6bc24d8a067' },
        { Name: 'LoadBalancer', Value: 'app/invoice-alb/7e1b3c2d4f5a6b7c' },
      ],
    });
  });

  it('without an SNS topic says which config field to add', async () => {
    world();
    await expect(alarmsAudit.plan(ctx('notopic'), { create: true })).rejects.toMatchObject({
      message: '`notopic` has no SNS topic for the alarms opsbot would create.',
      hint: expect.stringContaining(
        'Add `alarms: { prefix: opsbot-notopic, snsTopic: arn:aws:sns:<region>:<account>:<topic> }` to environments.notopic',
      ),
    });
  });

  it('retries DescribeAlarms through throttling and says so', async () => {
    world();
    aws.cw
      .on(DescribeAlarmsCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolves({ MetricAlarms: existing });
    const text = renderReplyAsText((await ask('prod')) as Reply);
    expect(text).toContain('CloudWatch DescribeAlarms was throttled; retried 1× with backoff.');
    expect(text).toContain('expo-project-prod-storage-low');
  });

  it('names the IAM action when DescribeAlarms or PutMetricAlarm is denied', async () => {
    aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
    aws.cw
      .on(DescribeAlarmsCommand)
      .rejects(awsError('AccessDenied', 'User is not authorized to perform cloudwatch:DescribeAlarms'));
    await expect(ask('prod')).rejects.toThrow('lacks `cloudwatch:DescribeAlarms`');
    world([]);
    aws.cw.on(PutMetricAlarmCommand).rejects(awsError('AccessDenied', 'not authorized'));
    const plan = await alarmsAudit.plan(ctx('prod'), { create: true });
    await expect(runJob({ env: 'prod', ...plan.data.create })).rejects.toThrow('lacks `cloudwatch:PutMetricAlarm`');
  });
});
