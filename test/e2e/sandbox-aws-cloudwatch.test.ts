// The simulated AWS's CloudWatch side (metrics with metric math, the alarm schedule, Logs, Logs Insights,
// retention), driven by the real SDK v3 clients against its own simulator; the other services are in
// sandbox-aws.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  PutRetentionPolicyCommand,
  ResourceNotFoundException,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startAwsSimulator, type AwsSimulator } from '../../src/sandbox/aws/server.js';
import { DEMO_NAMES as N } from '../../src/sandbox/aws/fleet.js';
import { BUILTIN_QUERIES } from '../../src/aws/logs-insights.js';
import { waitUntil } from '../support/wait.js';

/** A Logs Insights query takes a while in the simulator: wait up to 20 s. */
const PATIENTLY = { timeoutMs: 20_000, intervalMs: 100 };

let sim: AwsSimulator;
let clockOffset = 0;
let c: { cw: CloudWatchClient; logs: CloudWatchLogsClient };

beforeAll(async () => {
  // The clock can jump for the alarm schedule.
  sim = await startAwsSimulator({ timeScale: 0.1, now: () => Date.now() + clockOffset });
  const o = {
    endpoint: sim.url,
    region: N.region,
    credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  c = { cw: new CloudWatchClient(o), logs: new CloudWatchLogsClient(o) };
});
afterAll(async () => {
  for (const client of Object.values(c ?? {})) client.destroy();
  await sim?.close();
});

describe('simulated CloudWatch and CloudWatch Logs, through the real SDK clients', () => {
  it('CloudWatch: metrics with metric math, and an alarm that fires and clears', async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 3 * 3_600_000);
    const out = await c.cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'conn',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/RDS',
                MetricName: 'DatabaseConnections',
                Dimensions: [{ Name: 'DBInstanceIdentifier', Value: N.dbInstance }],
              },
              Period: 300,
              Stat: 'Average',
            },
            ReturnData: false,
          },
          { Id: 'pct', Expression: '100*FILL(conn,0)/400', Label: 'connections %' },
        ],
      }),
    );
    const pct = out.MetricDataResults?.[0];
    expect(pct?.Label).toBe('connections %');
    expect(pct?.Values?.length).toBeGreaterThan(30);
    expect(pct?.Timestamps?.[1]?.getTime()).toBeGreaterThan(pct?.Timestamps?.[0]?.getTime() ?? Infinity);
    expect(Math.max(...(pct?.Values ?? []))).toBeLessThan(100);
    await expect(
      c.cw.send(
        new GetMetricDataCommand({ StartTime: end, EndTime: start, MetricDataQueries: [{ Id: 'x', Expression: '1' }] }),
      ),
    ).rejects.toThrow(/StartTime/);

    const state = async () =>
      (await c.cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${N.application}-prod-high` }))).MetricAlarms?.[0]
        ?.StateValue;
    clockOffset = 0;
    expect(await state()).toBe('OK');
    clockOffset = 60_000;
    expect(await state()).toBe('ALARM');
    const firing = await c.cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(firing.MetricAlarms?.map((a) => a.AlarmName)).toEqual([`${N.application}-prod-high-latency`]);
    expect(firing.MetricAlarms?.[0]?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    // Clears once a whole minute's datapoint is past the incident (it lasts 150 s from 45 s).
    clockOffset = 5 * 60_000;
    expect(await state()).toBe('OK');
    clockOffset = 0;
  });

  it('CloudWatch Logs: filtered lines, and a clear error for an unknown group', async () => {
    const out = await c.logs.send(
      new FilterLogEventsCommand({
        logGroupName: N.logGroups[1],
        startTime: Date.now() - 30 * 60_000,
        filterPattern: '?ERROR ?WARN',
        limit: 20,
      }),
    );
    expect(out.events?.length).toBeGreaterThan(0);
    expect(out.events?.every((e) => /ERROR|WARN/.test(e.message ?? ''))).toBe(true);
    await expect(c.logs.send(new FilterLogEventsCommand({ logGroupName: '/nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('CloudWatch Logs Insights: a query runs, then completes with rows from the log lines; StopQuery', async () => {
    const query = async (queryString: string) => {
      const { queryId } = await c.logs.send(
        new StartQueryCommand({
          logGroupNames: [N.logGroups[0]],
          queryString,
          startTime: Math.floor(Date.now() / 1000) - 3600,
          endTime: Math.floor(Date.now() / 1000),
        }),
      );
      expect(queryId).toBeTruthy();
      const first = await c.logs.send(new GetQueryResultsCommand({ queryId }));
      expect(first.status).toBe('Running');
      return waitUntil(
        'the query',
        async () => {
          const o = await c.logs.send(new GetQueryResultsCommand({ queryId }));
          return o.status === 'Complete' ? o : undefined;
        },
        PATIENTLY,
      );
    };
    const lines = await query('fields @timestamp, @message | sort @timestamp desc | limit 20');
    expect(lines.results?.length).toBe(20);
    expect(lines.results?.[0]?.map((f) => f.field)).toEqual(['@timestamp', '@message', '@ptr']);
    expect(lines.results?.[0]?.[0]?.value).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    expect(lines.statistics?.recordsScanned).toBeGreaterThan(500);

    const times = await query(BUILTIN_QUERIES['response-times']);
    const row = Object.fromEntries((times.results?.[0] ?? []).map((f) => [f.field, f.value]));
    expect(Object.keys(row)).toEqual(['bin(5m)', 'avg(response_time)', 'max(response_time)', 'min(response_time)']);
    expect(Number(row['max(response_time)'])).toBeGreaterThanOrEqual(Number(row['avg(response_time)']));
    expect(times.results?.length).toBeGreaterThanOrEqual(12);

    const { queryId } = await c.logs.send(
      new StartQueryCommand({
        logGroupName: N.logGroups[1],
        queryString: BUILTIN_QUERIES.errors,
        startTime: 0,
        endTime: 1,
      }),
    );
    expect((await c.logs.send(new StopQueryCommand({ queryId }))).success).toBe(true);
    expect((await c.logs.send(new GetQueryResultsCommand({ queryId }))).status).toBe('Cancelled');
  });

  it('CloudWatch Logs: PutRetentionPolicy shows in DescribeLogGroups, and an invalid value is refused', async () => {
    await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: N.logGroups[1], retentionInDays: 90 }));
    const groups = (await c.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
    expect(groups.find((g) => g.logGroupName === N.logGroups[1])?.retentionInDays).toBe(90);
    await expect(
      c.logs.send(new PutRetentionPolicyCommand({ logGroupName: N.logGroups[1], retentionInDays: 42 })),
    ).rejects.toThrow(/retentionInDays/);
  });
});
