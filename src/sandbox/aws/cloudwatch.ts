// CloudWatch (AWS JSON 1.0, query-compatible) over the simulated fleet's telemetry; CloudWatch Logs is in logs.ts.
import { AwsFault, date, type Input } from './protocol.js';
import type { Fleet } from './fleet.js';
import type { Handler } from './beanstalk.js';
import { aggregate, incidentAt, incidentsBetween, metricValue, type MetricKey } from './signals.js';
import { evaluateExpression } from './expression.js';

interface AlarmSpec {
  name: string;
  description: string;
  namespace: string;
  metric: string;
  dimensions: (f: Fleet) => Record<string, string>;
  statistic: string;
  threshold: number;
  comparison: string;
  /** When it is in ALARM; the others stay OK. */
  firing?: (f: Fleet, t: number) => number | undefined;
}

const ALARMS: AlarmSpec[] = [
  {
    name: 'high-latency',
    description: 'p95 target response time above 1 s for 2 minutes',
    namespace: 'AWS/ApplicationELB',
    metric: 'TargetResponseTime',
    dimensions: (f) => ({ LoadBalancer: f.eb.loadBalancer.split(':loadbalancer/')[1] }),
    statistic: 'Average',
    threshold: 1,
    comparison: 'GreaterThanThreshold',
    firing: (f, t) => incidentAt(t, f.startedAt),
  },
  {
    name: 'db-cpu-high',
    description: 'RDS CPU above 80% for 10 minutes',
    namespace: 'AWS/RDS',
    metric: 'CPUUtilization',
    dimensions: (f) => ({ DBInstanceIdentifier: f.names.dbInstance }),
    statistic: 'Average',
    threshold: 80,
    comparison: 'GreaterThanThreshold',
  },
  {
    name: 'backend-memory-high',
    description: 'ECS service memory above 85%',
    namespace: 'AWS/ECS',
    metric: 'MemoryUtilization',
    dimensions: (f) => ({ ClusterName: f.names.cluster, ServiceName: f.names.service }),
    statistic: 'Average',
    threshold: 85,
    comparison: 'GreaterThanThreshold',
  },
  {
    name: 'db-free-storage-low',
    description: 'RDS free storage below 5 GB',
    namespace: 'AWS/RDS',
    metric: 'FreeStorageSpace',
    dimensions: (f) => ({ DBInstanceIdentifier: f.names.dbInstance }),
    statistic: 'Minimum',
    threshold: 5 * 1024 ** 3,
    comparison: 'LessThanThreshold',
  },
];

const alarmName = (f: Fleet, a: AlarmSpec) => `${f.names.application}-prod-${a.name}`;

/** CloudWatch's "23/11/26 08:55:00" in a state reason. */
function reasonStamp(t: number): string {
  const d = new Date(t).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(2, 4)} ${d.slice(11, 19)}`;
}

/**
 * Evaluates the alarm as CloudWatch does (here 1 of 1 one-minute datapoints past the threshold),
 * on the very values GetMetricData returns, so state, reason and chart agree. Returns the transition
 * time and the datapoints that caused it, newest first.
 */
function evaluate(f: Fleet, a: AlarmSpec, now: number): { since: number; points: [number, number][] } | undefined {
  if (!a.firing) return undefined;
  const key = { namespace: a.namespace, name: a.metric, dimensions: a.dimensions(f) };
  const breach = (v: number) => (a.comparison === 'LessThanThreshold' ? v < a.threshold : v > a.threshold);
  const value = (t: number) => metricValue(key, t, a.statistic, f.startedAt, extra(f), now);
  // The demo's alarms alarm on 1 of 1 one-minute datapoints, so they fire the minute the incident starts.
  const pointsAt = (t: number): [number, number][] => [[t, value(t)]];
  const minute = Math.floor(now / 60_000) * 60_000;
  if (!pointsAt(minute).every(([, v]) => breach(v))) return undefined;
  // Back to the first minute of this breach: the transition, with the datapoints that caused it.
  let since = minute;
  while (since - 60_000 > f.startedAt && pointsAt(since - 60_000).every(([, v]) => breach(v))) since -= 60_000;
  return { since, points: pointsAt(since) };
}

function describeAlarm(f: Fleet, a: AlarmSpec) {
  const now = f.now();
  const evaluated = evaluate(f, a, now);
  const since = evaluated?.since;
  const lastWindow = incidentsBetween(f.startedAt, now, f.startedAt)
    .filter(([, end]) => end <= now)
    .at(-1);
  const stateSince = since ?? (a.firing && lastWindow ? lastWindow[1] : f.startedAt - 86_400_000);
  const arn = `arn:aws:cloudwatch:${f.names.region}:${f.names.account}:alarm:${alarmName(f, a)}`;
  const stamp = new Date(stateSince).toISOString().replace('Z', '+0000');
  return {
    AlarmName: alarmName(f, a),
    AlarmArn: arn,
    AlarmDescription: a.description,
    ActionsEnabled: true,
    OKActions: [`arn:aws:sns:${f.names.region}:${f.names.account}:ops-alerts`],
    AlarmActions: [`arn:aws:sns:${f.names.region}:${f.names.account}:ops-alerts`],
    InsufficientDataActions: [],
    StateValue: since !== undefined ? 'ALARM' : 'OK',
    StateReason:
      since !== undefined
        ? `Threshold Crossed: 1 out of the last 1 datapoints [${evaluated!.points.map(([t, v]) => `${v.toFixed(2)} (${reasonStamp(t)})`).join(', ')}] were ${a.comparison === 'LessThanThreshold' ? 'less' : 'greater'} than the threshold (${a.threshold}) (minimum 1 datapoint for OK -> ALARM transition).`
        : `Threshold Crossed: 1 datapoint was not ${a.comparison === 'LessThanThreshold' ? 'less' : 'greater'} than the threshold (${a.threshold}).`,
    StateReasonData: JSON.stringify({
      version: '1.0',
      queryDate: stamp,
      statistic: a.statistic,
      period: 60,
      threshold: a.threshold,
    }),
    StateUpdatedTimestamp: new Date(stateSince),
    StateTransitionedTimestamp: new Date(stateSince),
    MetricName: a.metric,
    Namespace: a.namespace,
    Statistic: a.statistic,
    Dimensions: Object.entries(a.dimensions(f)).map(([Name, Value]) => ({ Name, Value })),
    Period: 60,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    Threshold: a.threshold,
    ComparisonOperator: a.comparison,
    TreatMissingData: 'missing',
    AlarmConfigurationUpdatedTimestamp: new Date(f.startedAt - 30 * 86_400_000),
  };
}

const extra = (f: Fleet) => ({
  instances: f.eb.asg.instances.length,
  storageUsedGb: f.storageUsedGb(),
  allocatedGb: f.rds.get(f.names.dbInstance)?.allocatedGb,
});

function series(
  f: Fleet,
  key: MetricKey,
  stat: string,
  period: number,
  start: number,
  end: number,
): { Timestamps: Date[]; Values: number[] } {
  const step = Math.max(60, period) * 1000;
  const first = Math.ceil(start / step) * step;
  const Timestamps: Date[] = [];
  const Values: number[] = [];
  // Data stops a minute short of now, as CloudWatch's does.
  const last = Math.min(end, f.now() - 60_000);
  for (let t = first; t <= last && Timestamps.length < 1440; t += step) {
    const minutes: number[] = [];
    for (let m = t; m < t + step; m += 60_000) minutes.push(metricValue(key, m, stat, f.startedAt, extra(f), f.now()));
    Timestamps.push(new Date(t));
    Values.push(aggregate(key, minutes, stat));
  }
  return { Timestamps, Values };
}

const keyOf = (metric: Input): MetricKey => ({
  namespace: String(metric.Namespace ?? ''),
  name: String(metric.MetricName ?? ''),
  dimensions: Object.fromEntries((metric.Dimensions ?? []).map((d: Input) => [d.Name, d.Value])),
});

export const cloudwatch: Record<string, Handler> = {
  DescribeAlarms: (input, f) => {
    const names: string[] = input.AlarmNames ?? [];
    const alarms = ALARMS.map((a) => describeAlarm(f, a))
      .filter((a) => !input.StateValue || a.StateValue === input.StateValue)
      .filter((a) => !input.AlarmNamePrefix || a.AlarmName.startsWith(input.AlarmNamePrefix))
      .filter((a) => names.length === 0 || names.includes(a.AlarmName));
    const types: string[] = input.AlarmTypes ?? ['MetricAlarm'];
    return {
      MetricAlarms: types.includes('MetricAlarm') ? alarms.slice(0, input.MaxRecords ?? 100) : [],
      CompositeAlarms: [],
    };
  },
  DescribeAlarmHistory: (input, f) => {
    const now = f.now();
    const from = date(input.StartDate)?.getTime() ?? now - 86_400_000;
    const name = alarmName(f, ALARMS[0]);
    if (input.AlarmName && input.AlarmName !== name) return { AlarmHistoryItems: [] };
    const items = incidentsBetween(Math.max(from, f.startedAt), now, f.startedAt).flatMap(([s, e]) => [
      { at: s, summary: 'Alarm updated from OK to ALARM' },
      ...(e <= now ? [{ at: e, summary: 'Alarm updated from ALARM to OK' }] : []),
    ]);
    return {
      AlarmHistoryItems: items
        .reverse()
        .slice(0, input.MaxRecords ?? 100)
        .map((i) => ({
          AlarmName: name,
          AlarmType: 'MetricAlarm',
          Timestamp: new Date(i.at),
          HistoryItemType: 'StateUpdate',
          HistorySummary: i.summary,
          HistoryData: '{}',
        })),
    };
  },
  GetMetricData: (input, f) => {
    const start = date(input.StartTime)?.getTime();
    const end = date(input.EndTime)?.getTime();
    if (start === undefined || end === undefined || end <= start)
      throw new AwsFault('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
    const queries: Input[] = input.MetricDataQueries ?? [];
    if (queries.length === 0 || queries.length > 500)
      throw new AwsFault('ValidationError', 'MetricDataQueries must have between 1 and 500 members.');
    const computed = new Map<string, { Timestamps: Date[]; Values: number[] }>();
    for (const q of queries.filter((q) => q.MetricStat)) {
      computed.set(q.Id, series(f, keyOf(q.MetricStat.Metric), q.MetricStat.Stat, q.MetricStat.Period, start, end));
    }
    for (const q of queries.filter((q) => q.Expression)) {
      try {
        computed.set(q.Id, evaluateExpression(String(q.Expression), computed));
      } catch (err) {
        throw new AwsFault('ValidationError', `Error in expression '${q.Id}': ${(err as Error).message}`);
      }
    }
    const descending = input.ScanBy !== 'TimestampAscending';
    const results = queries
      .filter((q) => q.ReturnData !== false)
      .map((q) => {
        const s = computed.get(q.Id)!;
        const order = s.Timestamps.map((_, i) => i);
        if (descending) order.reverse();
        return {
          Id: q.Id,
          Label: q.Label ?? q.MetricStat?.Metric?.MetricName ?? q.Id,
          Timestamps: order.map((i) => s.Timestamps[i]),
          Values: order.map((i) => s.Values[i]),
          StatusCode: 'Complete',
        };
      });
    return { MetricDataResults: results, Messages: [] };
  },
  GetMetricStatistics: (input, f) => {
    const start = date(input.StartTime)!.getTime();
    const end = date(input.EndTime)!.getTime();
    const key = keyOf(input);
    const stats: string[] = [...(input.Statistics ?? []), ...(input.ExtendedStatistics ?? [])];
    const base = series(f, key, stats[0] ?? 'Average', input.Period ?? 60, start, end);
    return {
      Label: key.name,
      Datapoints: base.Timestamps.map((ts, i) => {
        const point: Input = { Timestamp: ts, Unit: 'None' };
        for (const s of input.Statistics ?? [])
          point[s] = series(f, key, s, input.Period ?? 60, ts.getTime(), ts.getTime()).Values[0] ?? base.Values[i];
        if (input.ExtendedStatistics?.length)
          point.ExtendedStatistics = Object.fromEntries(
            input.ExtendedStatistics.map((s: string) => [s, base.Values[i]]),
          );
        return point;
      }),
    };
  },
  ListMetrics: (_input, f) => ({
    Metrics: ALARMS.map((a) => ({
      Namespace: a.namespace,
      MetricName: a.metric,
      Dimensions: Object.entries(a.dimensions(f)).map(([Name, Value]) => ({ Name, Value })),
    })),
  }),
};

/** Incidents are what moves the telemetry; exported for the playground's banner. */
export function alarmFiring(f: Fleet): boolean {
  return ALARMS[0].firing!(f, f.now()) !== undefined;
}
