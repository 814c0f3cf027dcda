// /ops metrics against mocked AWS on Beanstalk and ECS: one GetMetricData call, failed parts, alarms beside
// their metric (the planning, judging and sparklines themselves: metrics-judging.test.ts).
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DescribeEnvironmentResourcesCommand } from '@aws-sdk/client-elastic-beanstalk';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { metrics } from '../../commands/metrics.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { estimateMaxConnections } from '../../src/aws/rds.js';
import { UserError } from '../../src/errors.js';
import type { Reply } from '../../src/core/reply.js';
import { awsError, hang, mockAws } from '../support/aws-mocks.js';
import { NOW, awsContext } from '../support/aws-context.js';
import { environmentResources } from '../fixtures/aws/beanstalk.js';
import { dbInstance } from '../fixtures/aws/rds.js';
import { alarmsInSeveralStates, series } from '../fixtures/aws/cloudwatch.js';

const aws = mockAws();
afterEach(() => aws.reset());
beforeEach(() => aws.cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] }));
afterAll(() => aws.restore());

const run = (env: string, since = 3_600_000) => metrics.run(awsContext(metrics, env), { since }) as Promise<Reply>;
const ramp = (from: number, to: number, n = 60) =>
  Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

/** Answers like CloudWatch: only the queries with ReturnData, missing ones without datapoints. */
function answer(values: Record<string, (number | null)[]>) {
  return (input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? [])
      .filter((q) => q.ReturnData !== false)
      .map((q) =>
        values[q.Id!]
          ? series(q.Id!, values[q.Id!], NOW)
          : { Id: q.Id, Label: q.Label, Timestamps: [], Values: [], StatusCode: 'Complete' },
      ),
  });
}

describe('/ops metrics on Elastic Beanstalk', () => {
  it('fetches every metric in one GetMetricData call and judges each against its threshold', async () => {
    aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
    aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance('available', 'db.t3.medium'));
    aws.cw.on(GetMetricDataCommand).callsFake(
      answer({
        app_cpu: ramp(20, 35),
        lat_p95: ramp(200, 650),
        lat_p99: ramp(300, 400),
        rate_5xx: ramp(0, 0.05),
        rate_4xx: ramp(0.5, 0.6),
        db_cpu: [...ramp(40, 60, 45), ...ramp(92, 95, 15)], // over 90 % (Expo critical) for 15 min
        db_conn: ramp(30, 50),
        db_free: ramp(41, 40),
        db_rlat: [2, null, null, 3],
        db_wlat: ramp(4, 5),
        cache_cpu: ramp(5, 6),
        cache_mem: ramp(40, 41),
        cache_hit: ramp(95, 96),
      }),
    );
    const reply = await run('prod');
    expect(aws.cw).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    const input = aws.cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    const ids = input.MetricDataQueries!.map((q) => q.Id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'app_cpu',
        'app_mem',
        'lat_p95',
        'rate_5xx',
        'db_cpu',
        'db_conn',
        'db_free',
        'cache_hit',
      ]),
    );
    const alb = input.MetricDataQueries!.find((q) => q.Id === 't5')!.MetricStat!.Metric!.Dimensions;
    expect(alb).toEqual([{ Name: 'LoadBalancer', Value: 'app/awseb-AWSEB-1RYV3RV3J0AB/50dc6c495c0c9188' }]);
    const asg = input.MetricDataQueries!.find((q) => q.Id === 'app_cpu')!.MetricStat!.Metric!.Dimensions;
    expect(asg).toEqual([
      { Name: 'AutoScalingGroupName', Value: 'awseb-e-rpqsewtp2j-stack-AWSEBAutoScalingGroup-QSB2ZO88SXZT' },
    ]);
    expect(input.MetricDataQueries!.find((q) => q.Id === 'db_conn')!.Expression).toBe(
      `100*db_conn_n/${estimateMaxConnections('db.t3.medium')}`,
    );

    expect(reply.tone).toBe('danger');
    const text = renderReplyAsText(reply);
    expect(text.split('\n')[0]).toContain(
      'prod: 1 metric red, 1 yellow (last 1h) — Database CPU over 90.0 % for 15 min (since 08:46); latency p95 over 500 ms since 08:41',
    );
    expect(text).toMatch(/:red_circle: CPU 95.0 % \(max 95.0 %\) [▁-█ ]+ < 70\.0 % — over 90\.0 % for 15 min/);
    expect(text).toMatch(/:large_yellow_circle: latency p95 650 ms/);
    expect(text).toContain('memory: no data in the window (EC2 memory needs the CloudWatch agent');
    expect(text).toContain('free storage 40.0 GB (min 40.0 GB)');
    expect(text).toContain('hit ratio 96.0 %');
    expect(text).toContain('max connections ≈');
    // the chart is a real PNG
    const png = reply.files?.find((f) => f.filename === 'metrics-prod.png');
    expect(Buffer.isBuffer(png?.content)).toBe(true);
    expect((png!.content as Buffer).subarray(1, 4).toString()).toBe('PNG');
  });

  it('still shows the database when Beanstalk resources are slow, and says which call was', async () => {
    aws.eb.on(DescribeEnvironmentResourcesCommand).callsFake(hang);
    aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance());
    aws.cw.on(GetMetricDataCommand).callsFake(answer({ db_cpu: ramp(10, 12), db_free: ramp(3, 3) }));
    const started = Date.now();
    const reply = await run('prod');
    expect(Date.now() - started).toBeLessThan(5000);
    const text = renderReplyAsText(reply);
    expect(text).toContain(
      'Beanstalk resources (app CPU, memory): could not check — Elastic Beanstalk DescribeEnvironmentResources unreachable after 1.5s',
    );
    expect(text).toContain('free storage 3.0 GB');
    expect(reply.tone).toBe('warning');
  });

  it('puts a firing CloudWatch alarm beside its metric: the verdict is never green under it', async () => {
    aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
    aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance());
    aws.cw.on(DescribeAlarmsCommand).resolves(alarmsInSeveralStates);
    aws.cw.on(GetMetricDataCommand).callsFake(answer({ db_cpu: ramp(20, 21), app_cpu: ramp(10, 11) }));
    const reply = await run('prod');
    expect(aws.cw.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toMatchObject({
      StateValue: 'ALARM',
      AlarmNamePrefix: 'expo-project-prod',
    });
    expect(reply.tone).toBe('warning');
    const text = renderReplyAsText(reply);
    expect(text.split('\n')[0]).toContain('Database CPU alarm expo-project-prod-db-cpu-high in ALARM since 08:56');
    expect(text).toMatch(/:large_yellow_circle: CPU 21\.0 %.* — alarm expo-project-prod-db-cpu-high in ALARM/);
  });

  it('reports a denied GetMetricData as a failed part with the IAM action', async () => {
    aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
    aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance());
    aws.cw
      .on(GetMetricDataCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: cloudwatch:GetMetricData'));
    const text = renderReplyAsText(await run('prod'));
    expect(text).toContain('CloudWatch metrics: could not check — AWS denied CloudWatch GetMetricData');
    expect(text).toContain('cloudwatch:GetMetricData');
  });
});

describe('/ops metrics on ECS', () => {
  it('uses the service dimensions and the configured load balancer', async () => {
    aws.cw
      .on(GetMetricDataCommand)
      .callsFake(
        answer({ app_cpu_0: ramp(10, 20), app_mem_0: ramp(50, 60), lat_p95: ramp(100, 120), rate_5xx: ramp(0, 0) }),
      );
    const reply = await run('staging', 6 * 3_600_000);
    const input = aws.cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.MetricDataQueries!.find((q) => q.Id === 'app_cpu_0')!.MetricStat).toMatchObject({
      Period: 360,
      Metric: {
        Namespace: 'AWS/ECS',
        Dimensions: [
          { Name: 'ClusterName', Value: 'expertconnect-prod-cluster' },
          { Name: 'ServiceName', Value: 'expertconnect-prod-backend' },
        ],
      },
    });
    expect(input.StartTime).toEqual(new Date(NOW.getTime() - 6 * 3_600_000));
    expect(reply.tone).toBe('ok');
    // Without data here: 4xx rate, p99 and the ALB request count (shown for context, never judged).
    expect(renderReplyAsText(reply).split('\n')[0]).toContain(
      'staging: 4 metrics within thresholds (last 6h); 3 without data',
    );
  });

  it('asks for the RDS FreeableMemory, Read/Write IOPS and ALB RequestCount the guides watch', async () => {
    aws.cw.on(GetMetricDataCommand).callsFake(answer({}));
    await run('staging', 3_600_000);
    const queries = aws.cw.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries!;
    const req = queries.find((q) => q.Id === 'req')!;
    expect(req.MetricStat!.Metric!.MetricName).toBe('RequestCount');
    expect(req.ReturnData).toBe(true);
  });
});

describe('/ops metrics database rows', () => {
  it('asks for FreeableMemory, ReadIOPS and WriteIOPS of the RDS instance', async () => {
    aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
    aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance());
    aws.cw
      .on(GetMetricDataCommand)
      .callsFake(answer({ db_mem: ramp(1.5, 1.2), db_riops: ramp(100, 300), db_wiops: ramp(50, 80) }));
    const text = renderReplyAsText(await run('prod'));
    const names = aws.cw
      .commandCalls(GetMetricDataCommand)[0]
      .args[0].input.MetricDataQueries!.map((q) => q.MetricStat?.Metric?.MetricName)
      .filter(Boolean);
    expect(names).toEqual(expect.arrayContaining(['FreeableMemory', 'ReadIOPS', 'WriteIOPS', 'RequestCount']));
    expect(text).toContain('freeable memory');
    expect(text).toContain('read IOPS');
  });

  it('rejects a window out of range and an environment without AWS resources', async () => {
    await expect(run('staging', 60_000)).rejects.toThrow('is out of range: use between 5m and 14d');
    const err = await metrics.run(awsContext(metrics, 'bare'), { since: 3_600_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.hint).toContain('elasticache: { cluster }');
  });
});
