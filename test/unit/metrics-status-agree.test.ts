// /ops metrics (CloudWatch) and /ops status (Beanstalk enhanced health) derived from ONE fixture: the
// failing-request share of each minute. A sustained 5xx rate is red in both; a healthy window is green in
// both (issue 14, case 2: "metrics and status never contradict each other for the same minute").
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { metrics } from '../../commands/metrics.js';
import { status } from '../../commands/status.js';
import type { Reply } from '../../src/core/reply.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { mockAws } from '../support/aws-mocks.js';
import { NOW, awsContext } from '../support/aws-context.js';
import { environmentResources, healthyEnvironment } from '../fixtures/aws/beanstalk.js';
import { dbInstance } from '../fixtures/aws/rds.js';
import { series } from '../fixtures/aws/cloudwatch.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const GB = 1024 ** 3;
const REQUESTS_PER_MINUTE = 6000;

/**
 * The one fixture: per minute (oldest first, the last is NOW's minute), the % of requests failing with 5xx.
 * Both AWS answers below are computed from it, as AWS computes them from the same traffic.
 */
function serveMinutes(failingPercent: number[]) {
  const last = failingPercent[failingPercent.length - 1];
  // CloudWatch: the 5xx rate series (and quiet, healthy other metrics).
  aws.cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
  aws.cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const values: Record<string, number[]> = {
      rate_5xx: failingPercent,
      rate_4xx: failingPercent.map(() => 0.2),
      lat_p95: failingPercent.map(() => 180),
      app_cpu: failingPercent.map(() => 30),
      db_cpu: failingPercent.map(() => 25),
      db_free: failingPercent.map(() => 40),
      free: failingPercent.map(() => 40 * GB),
    };
    return {
      MetricDataResults: (input.MetricDataQueries ?? [])
        .filter((q) => q.ReturnData !== false && values[q.Id!])
        .map((q) => series(q.Id!, values[q.Id!], NOW)),
    };
  });
  // Beanstalk enhanced health: the last 10 s of the same minute, coloured by Beanstalk's own rule for 5xx
  // (Degraded past 10 %, Warning past 1 %: docs "Enhanced health rules", "health-enhanced-status").
  const requests = REQUESTS_PER_MINUTE / 6;
  const s5xx = Math.round((requests * last) / 100);
  const [color, healthStatus] =
    last > 10
      ? (['Red', 'Degraded'] as const)
      : last > 1
        ? (['Yellow', 'Warning'] as const)
        : (['Green', 'Ok'] as const);
  aws.eb.on(DescribeEnvironmentsCommand).resolves({
    Environments: [{ ...healthyEnvironment.Environments![0], Health: color, HealthStatus: healthStatus }],
  });
  aws.eb.on(DescribeEnvironmentHealthCommand).resolves({
    EnvironmentName: 'expo-project-prod-env',
    Color: color,
    HealthStatus: healthStatus,
    Causes: last > 1 ? [`${((100 * s5xx) / requests).toFixed(1)} % of the requests are failing with HTTP 5xx.`] : [],
    ApplicationMetrics: {
      Duration: 10,
      RequestCount: requests,
      StatusCodes: { Status2xx: requests - s5xx, Status3xx: 0, Status4xx: 0, Status5xx: s5xx },
    },
    InstancesHealth: { Ok: 3, Degraded: 0, Severe: 0, NoData: 0, Unknown: 0, Pending: 0, Warning: 0, Info: 0 },
  });
  aws.eb.on(DescribeEventsCommand).resolves({ Events: [] });
  aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
  aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance('available', 'db.t3.medium'));
}

const ask = async () => {
  const m = (await metrics.run(awsContext(metrics, 'prod'), { since: 15 * 60_000 })) as Reply;
  const s = (await status.run(awsContext(status, 'prod'), {})) as Reply;
  return { metrics: m, status: s, metricsText: renderReplyAsText(m), statusText: renderReplyAsText(s) };
};

describe('/ops metrics and /ops status from one fixture of failing requests', () => {
  it('a 5xx rate of 12 % for the last 8 minutes: red in both, each naming the failing requests', async () => {
    serveMinutes([...Array(7).fill(0.02), ...Array(8).fill(12)]);
    const r = await ask();
    expect(r.status.tone).toBe('danger');
    expect(r.metrics.tone).toBe('danger');
    expect(r.statusText.split('\n')[0]).toContain('12.0 % of the requests are failing with HTTP 5xx');
    expect(r.metricsText.split('\n')[0]).toMatch(/5xx rate over 5\.00 % for 8 min/);
    expect(r.metricsText).toMatch(/:red_circle: 5xx rate 12\.0 %/);
  });

  it('a healthy window: green in both, and neither names a problem', async () => {
    serveMinutes(Array(15).fill(0.02));
    const r = await ask();
    expect(r.status.tone).toBe('ok');
    expect(r.statusText.split('\n')[0]).toContain('prod is healthy');
    expect(r.metricsText).toMatch(/:large_green_circle: 5xx rate 0\.02 %/);
    expect(r.metricsText.split('\n')[0]).not.toMatch(/red|yellow/);
  });
});
