import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { DescribeEnvironmentResourcesCommand } from '@aws-sdk/client-elastic-beanstalk';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { metrics } from '../../commands/metrics.js';
import { judgeMetric, renderMetrics, windowSparkline, type MetricRowView } from '../../views/metrics.js';
import { renderMetricsChartSvg } from '../../views/chart.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { estimateMaxConnections } from '../../src/aws/rds.js';
import { albDimension, periodFor, planMetrics } from '../../src/aws/metric-queries.js';
import { parseConfig } from '../../src/config/load.js';
import { UserError } from '../../src/errors.js';
import type { Reply } from '../../src/core/reply.js';
import { awsError, hang, mockAws } from '../support/aws-mocks.js';
import { AWS_CONFIG, NOW, awsContext } from '../support/aws-context.js';
import { environmentResources } from '../fixtures/aws/beanstalk.js';
import { dbInstance } from '../fixtures/aws/rds.js';
import { series } from '../fixtures/aws/cloudwatch.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const GB = 1024 ** 3;
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
        lat_p99: ramp(300, 900),
        rate_5xx: ramp(0, 0.2),
        rate_4xx: ramp(0.5, 0.6),
        db_cpu: ramp(40, 95),
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
      'prod: 2 metrics past their thresholds — latency p95 650 ms (< 500 ms); Database CPU 95.0 % (< 70.0 %)',
    );
    expect(text).toMatch(/:red_circle: CPU 95.0 % \(max 95.0 %\) [▁-█ ]+ < 70\.0 %/);
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
    expect(renderReplyAsText(reply).split('\n')[0]).toContain(
      'staging: 4 metrics within thresholds (last 6h); 2 without data',
    );
  });

  it('rejects a window out of range and an environment without AWS resources', async () => {
    await expect(run('staging', 60_000)).rejects.toThrow('is out of range: use between 5m and 14d');
    const err = await metrics.run(awsContext(metrics, 'bare'), { since: 3_600_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.hint).toContain('elasticache: { cluster }');
  });
});

describe('metric planning and judging', () => {
  const { config } = parseConfig(AWS_CONFIG, {});
  it('derives limits from ops.yml thresholds (guides: warn, then critical)', () => {
    const plan = planMetrics({
      env: config.environments.prod,
      periodSeconds: 60,
      autoScalingGroup: 'asg',
      maxConnections: 100,
    });
    const byId = Object.fromEntries(plan.specs.map((s) => [s.id, s]));
    expect(byId.app_cpu.limit).toMatchObject({ kind: 'max', warn: 70, critical: 85 });
    expect(byId.app_mem.limit).toMatchObject({ warn: 80, critical: 90 });
    expect(byId.db_free.limit).toMatchObject({ kind: 'min', warn: 5, critical: 2 });
    expect(byId.rate_5xx.limit).toMatchObject({ warn: 1, critical: 5 });
    expect(byId.cache_hit.limit).toMatchObject({ kind: 'min', warn: 80, critical: 70 });
    expect(plan.notes.join(' ')).toContain('Beanstalk enhanced health metrics');
  });

  it('colours by the newest datapoint; no data is grey, 4xx never red', () => {
    const row = (values: number[], extra: Partial<MetricRowView> = {}): MetricRowView => ({
      group: 'App',
      label: 'CPU',
      unit: '%',
      limit: { kind: 'max', warn: 70, critical: 85 },
      points: values.map((value, i) => ({ at: new Date(NOW.getTime() - (values.length - i) * 60_000), value })),
      ...extra,
    });
    expect(judgeMetric(row([90, 10]))).toBe('ok');
    expect(judgeMetric(row([10, 75]))).toBe('warning');
    expect(judgeMetric(row([10, 86]))).toBe('danger');
    expect(judgeMetric(row([]))).toBe('muted');
    expect(judgeMetric(row([1, 1], { limit: { kind: 'min', warn: 5, critical: 2 } }))).toBe('danger');
    expect(judgeMetric(row([50], { limit: { kind: 'max', warn: 1, critical: 5, worstTone: 'warning' } }))).toBe(
      'warning',
    );
  });

  it('shows missing datapoints as gaps in the sparkline', () => {
    const points = [
      { at: new Date(NOW.getTime() - 55 * 60_000), value: 1 },
      { at: new Date(NOW.getTime() - 60_000), value: 5 },
    ];
    const spark = windowSparkline({ group: 'App', label: 'x', unit: '%', points }, NOW, 3_600_000, 10);
    expect(spark).toBe('▁        █');
  });

  it('says when there is no data at all, and builds a chart with threshold lines', () => {
    const reply = renderMetrics({
      env: 'prod',
      checkedAt: NOW,
      tookMs: 1,
      windowMs: 3_600_000,
      rows: [{ group: 'App', label: 'CPU', unit: '%', points: [] }],
      failed: [],
      notes: [],
    });
    expect(reply.tone).toBe('muted');
    expect(reply.text).toContain('metrics within thresholds');
    expect(renderReplyAsText(reply)).toContain('no metric data for the last 1h');
    const svg = renderMetricsChartSvg({
      title: 'prod <1h>',
      start: new Date(NOW.getTime() - 3_600_000),
      end: NOW,
      panels: [
        {
          title: 'CPU',
          latest: '75 %',
          tone: 'warning',
          percent: true,
          limit: { kind: 'max', warn: 70, critical: 85 },
          points: [
            { at: new Date(NOW.getTime() - 60_000), value: 75 },
            { at: NOW, value: 76 },
          ],
        },
      ],
    });
    expect(svg).toContain('prod &lt;1h&gt;');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('<path d="M');
  });

  it('picks periods and load balancer dimensions as CloudWatch wants them', () => {
    expect(periodFor(3_600_000)).toBe(60);
    expect(periodFor(24 * 3_600_000)).toBe(1440);
    expect(albDimension('arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/abc')).toBe('app/web/abc');
    expect(albDimension('awseb-classic-elb')).toBeUndefined();
    expect(estimateMaxConnections('db.r6g.large')).toBe(2 * (estimateMaxConnections('db.m6g.large') ?? 0));
    expect(estimateMaxConnections('db.serverless')).toBeUndefined();
  });
});
