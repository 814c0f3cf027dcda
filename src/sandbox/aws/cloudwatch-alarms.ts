// CloudWatch alarms that opsbot creates (PutMetricAlarm, AWS JSON 1.0), kept beside the demo's built-in ones:
// DescribeAlarms answers both, with NextToken pages as AWS does.
import { AwsFault, type Input } from './protocol.js';
import type { Fleet } from './fleet.js';
import type { Handler } from './beanstalk-settings.js';
import { cloudwatch } from './cloudwatch.js';

const created = new WeakMap<Fleet, Map<string, Input>>();
const createdOf = (f: Fleet) => {
  let m = created.get(f);
  if (!m) created.set(f, (m = new Map()));
  return m;
};

const OPERATORS = new Set([
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
]);

function validate(input: Input): void {
  const fail = (message: string) => {
    throw new AwsFault('ValidationError', message);
  };
  if (!input.AlarmName)
    fail(
      "1 validation error detected: Value null at 'alarmName' failed to satisfy constraint: Member must not be null",
    );
  if (!OPERATORS.has(input.ComparisonOperator)) fail(`Invalid ComparisonOperator: ${String(input.ComparisonOperator)}`);
  if (!(Number(input.EvaluationPeriods) >= 1)) fail('EvaluationPeriods must be at least 1');
  const metrics: Input[] | undefined = input.Metrics;
  if (input.MetricName && metrics?.length) fail('Metrics and MetricName cannot be specified together');
  if (!input.MetricName && !metrics?.length) fail('Either MetricName or Metrics must be specified');
  if (input.MetricName && !(Number(input.Period) >= 10)) fail('Period must be specified with MetricName');
  if (input.MetricName && !input.Statistic === !input.ExtendedStatistic)
    fail('Exactly one of Statistic and ExtendedStatistic must be specified');
  if (metrics?.length && metrics.filter((m) => m.ReturnData !== false).length !== 1)
    fail('Exactly one element of the metrics list should return data');
}

/** A created alarm as DescribeAlarms shows it: OK once the demo's first evaluation has run. */
function describe(f: Fleet, a: Input): Input {
  const evaluated = f.now() - a.createdAt >= 10_000;
  return {
    ...a.input,
    AlarmArn: `arn:aws:cloudwatch:${f.names.region}:${f.names.account}:alarm:${a.input.AlarmName}`,
    ActionsEnabled: a.input.ActionsEnabled ?? true,
    AlarmActions: a.input.AlarmActions ?? [],
    OKActions: a.input.OKActions ?? [],
    InsufficientDataActions: a.input.InsufficientDataActions ?? [],
    AlarmConfigurationUpdatedTimestamp: new Date(a.createdAt),
    StateValue: evaluated ? 'OK' : 'INSUFFICIENT_DATA',
    StateReason: evaluated
      ? 'Threshold Crossed: no datapoints were breaching the threshold.'
      : 'Unchecked: Initial alarm creation',
    StateUpdatedTimestamp: new Date(evaluated ? a.createdAt + 10_000 : a.createdAt),
    Dimensions: a.input.Dimensions ?? [],
  };
}

export const cloudwatchAlarms: Record<string, Handler> = {
  PutMetricAlarm: (input, f) => {
    validate(input);
    // Replaces an alarm of the same name, as AWS does.
    createdOf(f).set(String(input.AlarmName), { input, createdAt: f.now() });
    return {};
  },
  DescribeAlarms: (input, f) => {
    const builtIn = cloudwatch.DescribeAlarms({ ...input, MaxRecords: 100, NextToken: undefined }, f) as {
      MetricAlarms: Input[];
      CompositeAlarms: Input[];
    };
    const names: string[] = input.AlarmNames ?? [];
    const types: string[] = input.AlarmTypes ?? ['MetricAlarm'];
    const mine = [...createdOf(f).values()]
      .map((a) => describe(f, a))
      .filter((a) => !input.StateValue || a.StateValue === input.StateValue)
      .filter((a) => !input.AlarmNamePrefix || String(a.AlarmName).startsWith(input.AlarmNamePrefix))
      .filter((a) => names.length === 0 || names.includes(a.AlarmName));
    const all = types.includes('MetricAlarm')
      ? [...builtIn.MetricAlarms.filter((a) => !createdOf(f).has(a.AlarmName)), ...mine]
      : [];
    const size = Number(input.MaxRecords ?? 100);
    const from = Number(input.NextToken ?? 0);
    const next = from + size < all.length ? String(from + size) : undefined;
    return { MetricAlarms: all.slice(from, from + size), CompositeAlarms: builtIn.CompositeAlarms, NextToken: next };
  },
};
