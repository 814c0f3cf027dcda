import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AwsSession } from './session.js';
import { cloudwatch } from './sdk.js';

export type AlarmState = 'ALARM' | 'INSUFFICIENT_DATA' | 'OK';

export interface AlarmInfo {
  name: string;
  arn?: string;
  type: 'metric' | 'composite';
  state: AlarmState;
  reason: string;
  description?: string;
  updatedAt?: Date;
  /** "CPUUtilization (AWS/EC2, Average, 5 min)"; for metric math the expression. */
  metric?: string;
  /** "> 80 for 2 of 2 periods"; for composites the alarm rule. */
  condition?: string;
  actionsEnabled: boolean;
  /** The metrics the alarm watches (one, or each in its metric math), to tell which resource it is about. */
  sources?: { namespace?: string; metric?: string; dimensions: Record<string, string> }[];
}

export interface AlarmList {
  alarms: AlarmInfo[];
  /** AWS had more than one page: the list is not complete. */
  truncated: boolean;
}

const OPERATOR: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '≥',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band',
  LessThanLowerThreshold: 'below band',
  GreaterThanUpperThreshold: 'above band',
};

function periodText(seconds: number | undefined): string {
  if (!seconds) return '';
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds}s`;
}

function dimensionMap(dims: { Name?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((dims ?? []).filter((d) => d.Name).map((d) => [d.Name!, d.Value ?? '']));
}

/** Metric and composite alarms, in ALARM only unless `all`. */
export async function describeAlarms(s: AwsSession, opts: { all: boolean; prefix?: string }): Promise<AlarmList> {
  const out = await s.call('cloudwatch:DescribeAlarms', (abortSignal) =>
    s.clients.cloudwatch.send(
      new cloudwatch.DescribeAlarmsCommand({
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        StateValue: opts.all ? undefined : 'ALARM',
        AlarmNamePrefix: opts.prefix,
        MaxRecords: 100,
      }),
      { abortSignal },
    ),
  );
  const metric: AlarmInfo[] = (out.MetricAlarms ?? []).map((a) => {
    const stat = a.ExtendedStatistic ?? a.Statistic;
    const math = a.Metrics?.find((m) => m.ReturnData !== false && m.Expression)?.Expression;
    const op = OPERATOR[a.ComparisonOperator ?? ''] ?? a.ComparisonOperator ?? '';
    const periods =
      a.DatapointsToAlarm && a.DatapointsToAlarm !== a.EvaluationPeriods
        ? `${a.DatapointsToAlarm} of ${a.EvaluationPeriods}`
        : `${a.EvaluationPeriods ?? 1}`;
    return {
      name: a.AlarmName ?? '?',
      arn: a.AlarmArn,
      type: 'metric' as const,
      state: (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState,
      reason: a.StateReason ?? '',
      description: a.AlarmDescription,
      updatedAt: a.StateUpdatedTimestamp,
      metric: a.MetricName
        ? `${a.MetricName} (${[a.Namespace, stat, periodText(a.Period)].filter(Boolean).join(', ')})`
        : math
          ? `metric math: ${math}`
          : undefined,
      condition:
        a.Threshold !== undefined
          ? `${op} ${a.Threshold} for ${periods} period${periods === '1' ? '' : 's'}`
          : a.ThresholdMetricId
            ? `${op} ${a.ThresholdMetricId}`
            : undefined,
      actionsEnabled: a.ActionsEnabled ?? true,
      sources: a.MetricName
        ? [{ namespace: a.Namespace, metric: a.MetricName, dimensions: dimensionMap(a.Dimensions) }]
        : (a.Metrics ?? [])
            .filter((m) => m.MetricStat?.Metric)
            .map((m) => ({
              namespace: m.MetricStat!.Metric!.Namespace,
              metric: m.MetricStat!.Metric!.MetricName,
              dimensions: dimensionMap(m.MetricStat!.Metric!.Dimensions),
            })),
    };
  });
  const composite: AlarmInfo[] = (out.CompositeAlarms ?? []).map((a) => ({
    name: a.AlarmName ?? '?',
    arn: a.AlarmArn,
    type: 'composite' as const,
    state: (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState,
    reason: a.StateReason ?? '',
    description: a.AlarmDescription,
    updatedAt: a.StateUpdatedTimestamp,
    condition: a.AlarmRule,
    actionsEnabled: a.ActionsEnabled ?? true,
  }));
  return { alarms: [...metric, ...composite], truncated: Boolean(out.NextToken) };
}

export interface MetricSeries {
  id: string;
  label?: string;
  /** Oldest first. */
  points: { at: Date; value: number }[];
  status?: string;
  messages: string[];
}

/** One GetMetricData request for every query (following NextToken for at most a few pages). */
export async function getMetricData(
  s: AwsSession,
  queries: MetricDataQuery[],
  start: Date,
  end: Date,
): Promise<Map<string, MetricSeries>> {
  const series = new Map<string, MetricSeries>();
  // GetMetricData takes at most 500 queries per request; ours are far fewer.
  let nextToken: string | undefined;
  for (let page = 0; page < 3; page++) {
    const out = await s.call('cloudwatch:GetMetricData', (abortSignal) =>
      s.clients.cloudwatch.send(
        new cloudwatch.GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
        { abortSignal },
      ),
    );
    for (const r of out.MetricDataResults ?? []) {
      const id = r.Id ?? '?';
      const entry = series.get(id) ?? { id, label: r.Label, points: [], status: r.StatusCode, messages: [] };
      const ts = r.Timestamps ?? [];
      const vs = r.Values ?? [];
      for (let i = 0; i < Math.min(ts.length, vs.length); i++) entry.points.push({ at: ts[i], value: vs[i] });
      entry.status = r.StatusCode ?? entry.status;
      entry.messages.push(...(r.Messages ?? []).map((m) => m.Value ?? m.Code ?? '').filter(Boolean));
      series.set(id, entry);
    }
    nextToken = out.NextToken;
    if (!nextToken) break;
  }
  for (const entry of series.values()) entry.points.sort((a, b) => a.at.getTime() - b.at.getTime());
  return series;
}
