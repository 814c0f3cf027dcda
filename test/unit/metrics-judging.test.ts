// How /ops metrics plans its queries and judges a window (thresholds from ops.yml, the whole window,
// trends, alarms beside their metric) and draws sparklines: pure functions, no AWS (the command
// against mocked AWS: metrics.test.ts).
import { describe, expect, it } from 'vitest';
import { judgeMetric, renderMetrics, windowSparkline, type MetricRowView } from '../../views/metrics.js';
import { renderMetricsChartSvg } from '../../views/chart.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { estimateMaxConnections } from '../../src/aws/rds.js';
import { albDimension, periodFor, planMetrics } from '../../src/aws/metric-queries.js';
import { parseConfig } from '../../src/config/load.js';
import { AWS_CONFIG, NOW } from '../support/aws-context.js';

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
