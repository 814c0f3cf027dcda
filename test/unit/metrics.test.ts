import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
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
    // Each component its own lines from the guides (src/config/defaults.ts), with the guide's duration.
    expect(byId.app_cpu.limit).toMatchObject({ kind: 'max', warn: 60, critical: 80, forMs: 600_000 });
    expect(byId.app_mem.limit).toMatchObject({ warn: 70, critical: 90 });
    expect(byId.db_cpu.limit).toMatchObject({ warn: 70, critical: 90 });
    expect(byId.db_conn.limit).toMatchObject({ warn: 80, critical: 90 });
    expect(byId.db_free.limit).toMatchObject({ kind: 'min', warn: 5, critical: 2 });
    expect(byId.rate_5xx.limit).toMatchObject({ warn: 0.1, critical: 5, forMs: 300_000 });
    expect(byId.cache_cpu.limit).toMatchObject({ warn: 80, critical: 90 });
    expect(byId.cache_hit.limit).toMatchObject({ kind: 'min', warn: 80, critical: 70 });
    expect(plan.notes.join(' ')).toContain('Beanstalk enhanced health metrics');
  });

  it('colours by the whole window; no data is grey, 4xx never red', () => {
    const row = (values: number[], extra: Partial<MetricRowView> = {}): MetricRowView => ({
      group: 'App',
      label: 'CPU',
      unit: '%',
      limit: { kind: 'max', warn: 70, critical: 85 },
      points: values.map((value, i) => ({ at: new Date(NOW.getTime() - (values.length - i) * 60_000), value })),
      ...extra,
    });
    const tone = (r: MetricRowView) => judgeMetric(r, { now: NOW, periodMs: 60_000 }).tone;
    expect(tone(row([10, 10, 10]))).toBe('ok');
    const fiveMin = { kind: 'max' as const, warn: 70, critical: 85, forMs: 300_000 };
    expect(tone(row([90, 10], { limit: fiveMin }))).toBe('warning'); // crossed briefly: never green
    expect(tone(row([90, 90, 90, 90, 90], { limit: fiveMin }))).toBe('danger'); // for 5 minutes
    expect(tone(row([10, 75]))).toBe('warning');
    expect(tone(row([10, 86]))).toBe('danger'); // no duration given: at once
    expect(tone(row([]))).toBe('muted');
    expect(tone(row([1, 1], { limit: { kind: 'min', warn: 5, critical: 2 } }))).toBe('danger');
    expect(tone(row([50], { limit: { kind: 'max', warn: 1, critical: 5, worstTone: 'warning' } }))).toBe('warning');
  });

  it('shows missing datapoints as gaps in the sparkline', () => {
    const points = [
      { at: new Date(NOW.getTime() - 55 * 60_000), value: 1 },
      { at: new Date(NOW.getTime() - 60_000), value: 5 },
    ];
    const spark = windowSparkline({ group: 'App', label: 'x', unit: '%', points }, NOW, 3_600_000, 10, 60_000);
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

describe('judging the whole window (issue 14, case 1)', () => {
  const minute = 60_000;
  /** One point a minute ending at NOW. */
  const row = (label: string, values: number[], limit: MetricRowView['limit'], unit: MetricRowView['unit'] = '%') => ({
    group: 'App',
    label,
    unit,
    limit,
    points: values.map((value, i) => ({ at: new Date(NOW.getTime() - (values.length - 1 - i) * minute), value })),
  });
  const view = (rows: MetricRowView[], extra: Partial<Parameters<typeof renderMetrics>[0]> = {}) => ({
    env: 'prod',
    checkedAt: NOW,
    tookMs: 1,
    windowMs: 15 * minute,
    periodMs: minute,
    rows,
    failed: [],
    notes: [],
    ...extra,
  });
  const err5 = { kind: 'max' as const, warn: 0.1, critical: 5, forMs: 5 * minute };
  const p95 = { kind: 'max' as const, warn: 500, critical: 1000, forMs: 5 * minute };

  it('a spike inside the window with a good last point is not green', () => {
    const spike = [0.02, 0.03, 0.02, 5.81, 4.9, 0.04, 0.03, 0.02, 0.03, 0.02, 0.03, 0.02, 0.03, 0.02, 0.03];
    const reply = renderMetrics(view([row('5xx rate', spike, err5)]));
    expect(reply.tone).toBe('warning');
    const first = renderReplyAsText(reply).split('\n')[0];
    expect(first).not.toContain('within thresholds');
    expect(first).toContain('5xx rate crossed 5.00 % briefly at 08:49 (max 5.81 %)');
  });

  it('is red when over the critical line for the guide duration, and says since when', () => {
    const slow = [200, 210, 190, 200, 1100, 1200, 1150, 1071, 1300, 1250, 1100, 1200, 1180, 1190, 1210];
    const reply = renderMetrics(view([row('latency p95', slow, p95, 'ms')]));
    expect(reply.tone).toBe('danger');
    const text = renderReplyAsText(reply);
    expect(text.split('\n')[0]).toContain('latency p95 over 1000 ms for 11 min (since 08:50)');
    // the detail line shows the same judgement as the verdict
    expect(text).toMatch(/:red_circle: latency p95 1210 ms \(max 1300 ms\).* over 1000 ms for 11 min \(since 08:50\)/);
  });

  it('is yellow when trending towards the warning line', () => {
    const rising = Array.from({ length: 15 }, (_, i) => 30 + i * 2); // 30 → 58, 2 points a minute
    const cpu = { kind: 'max' as const, warn: 60, critical: 80, forMs: 10 * minute };
    const reply = renderMetrics(view([row('CPU', rising, cpu)]));
    expect(reply.tone).toBe('warning');
    expect(renderReplyAsText(reply).split('\n')[0]).toContain('CPU rising towards 60.0 %');
  });

  it('verdict and detail lines come from one judgement', () => {
    const rows = [row('5xx rate', [0, 0, 6, 0, 0], err5)];
    const j = judgeMetric(rows[0], { now: NOW, periodMs: minute });
    expect(j.tone).toBe('warning');
    const text = renderReplyAsText(renderMetrics(view(rows)));
    expect(text.split('\n')[0]).toContain(j.reason);
    expect(text).toContain(`:large_yellow_circle: 5xx rate`);
    expect(text).toContain(j.reason);
  });

  it('a firing alarm on the same resource never sits under a green verdict', () => {
    const rows = [
      {
        ...row('latency p95', [200, 210, 197], p95, 'ms'),
        alarms: [{ name: 'expo-project-prod-latency', since: new Date(NOW.getTime() - 4 * minute) }],
      },
    ];
    const reply = renderMetrics(view(rows));
    expect(reply.tone).not.toBe('ok');
    expect(renderReplyAsText(reply).split('\n')[0]).toContain('alarm expo-project-prod-latency in ALARM since 08:56');
    const other = renderMetrics(
      view([row('CPU', [10, 10], { kind: 'max', warn: 60, critical: 80 })], {
        otherAlarms: [{ name: 'expo-project-prod-db-cpu-high', since: NOW }],
      }),
    );
    expect(other.tone).not.toBe('ok');
    expect(renderReplyAsText(other).split('\n')[0]).toContain('expo-project-prod-db-cpu-high');
  });
});

describe('sparklines (issue 14, case 3)', () => {
  it('draws no gap when no datapoint is missing (15 one-minute points, 20 characters)', () => {
    const points = Array.from({ length: 15 }, (_, i) => ({
      at: new Date(NOW.getTime() - (14 - i) * 60_000),
      value: i,
    }));
    const spark = windowSparkline({ group: 'App', label: 'x', unit: '%', points }, NOW, 15 * 60_000, 20);
    expect(spark).not.toContain(' ');
    expect([...spark]).toHaveLength(15);
  });

  it('draws no gap for the minute a window starts in, nor for the minute still in progress', () => {
    // CloudWatch returns the minutes stamped at or after StartTime: a window from 08:45:16 starts at 08:46,
    // and at 09:00:16 the newest published minute is 08:59 (found by npm run demo:replies).
    const end = new Date(NOW.getTime() + 16_000);
    const points = Array.from({ length: 14 }, (_, i) => ({
      at: new Date(NOW.getTime() - (14 - i) * 60_000),
      value: i,
    }));
    const spark = windowSparkline({ group: 'App', label: 'x', unit: '%', points }, end, 15 * 60_000, 20, 60_000);
    expect(spark).not.toContain(' ');
    expect([...spark]).toHaveLength(14);
    const later = new Date(NOW.getTime() + 100_000); // 1 min 40 s after the newest point's period began
    const shifted = points.map((p) => ({ ...p, at: new Date(p.at.getTime() + 60_000) }));
    expect(
      windowSparkline({ group: 'App', label: 'x', unit: '%', points: shifted }, later, 15 * 60_000, 20, 60_000),
    ).not.toContain(' ');
    // Data that stopped coming still shows as the silence it is.
    const stale = new Date(NOW.getTime() + 5 * 60_000);
    expect(windowSparkline({ group: 'App', label: 'x', unit: '%', points }, stale, 15 * 60_000, 20, 60_000)).toMatch(
      / +$/,
    );
  });

  it('still shows a missing minute as a gap', () => {
    const points = Array.from({ length: 15 }, (_, i) => ({
      at: new Date(NOW.getTime() - (14 - i) * 60_000),
      value: i,
    })).filter((_, i) => i !== 7);
    const spark = windowSparkline({ group: 'App', label: 'x', unit: '%', points }, NOW, 15 * 60_000, 20, 60_000);
    expect(spark.trim()).toContain(' ');
    expect(spark.split(' ').length).toBe(2);
  });
});
