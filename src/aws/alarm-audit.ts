import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { EnvironmentConfig } from '../config/schema.js';
import { isUserError } from '../errors.js';
import { describeEbResources } from './beanstalk.js';
import { loadBalancerArn } from './targets.js';
import type { AlarmResources, AlarmSpec, Dimension, ExistingAlarm } from './alarm-judge.js';
import type { AwsSession } from './session.js';
import type { RecommendedAlarm } from '../config/guide-alarms.js';
import { cloudwatch, elbv2 } from './sdk.js';

/** At most this many pages of 100 metric alarms are read (the rest is reported as not read). */
const MAX_PAGES = 5;

const dims = (d: { Name?: string; Value?: string }[] | undefined): Dimension[] =>
  (d ?? []).filter((x) => x.Name).map((x) => ({ Name: x.Name!, Value: x.Value ?? '' }));

function existing(a: MetricAlarm): ExistingAlarm {
  const metrics = a.MetricName
    ? [{ namespace: a.Namespace, metric: a.MetricName, dimensions: dims(a.Dimensions) }]
    : (a.Metrics ?? [])
        .filter((m) => m.MetricStat?.Metric)
        .map((m) => ({
          namespace: m.MetricStat!.Metric!.Namespace,
          metric: m.MetricStat!.Metric!.MetricName,
          dimensions: dims(m.MetricStat!.Metric!.Dimensions),
        }));
  const returned = a.Metrics?.find((m) => m.ReturnData !== false);
  return {
    name: a.AlarmName ?? '?',
    metrics,
    expression: returned?.Expression,
    statistic: a.ExtendedStatistic ?? a.Statistic,
    comparison: a.ComparisonOperator,
    threshold: a.Threshold,
    period: a.Period ?? returned?.Period ?? a.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period,
    evaluationPeriods: a.EvaluationPeriods,
    actions: a.AlarmActions ?? [],
    actionsEnabled: a.ActionsEnabled ?? true,
  };
}

/** Every metric alarm in the region (or with `names`, just those), up to five pages; `truncated` if there were more. */
export async function describeMetricAlarms(
  s: AwsSession,
  names?: string[],
): Promise<{ alarms: ExistingAlarm[]; truncated: boolean }> {
  const alarms: ExistingAlarm[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await s.call('cloudwatch:DescribeAlarms', (abortSignal) =>
      s.clients.cloudwatch.send(
        new cloudwatch.DescribeAlarmsCommand({
          AlarmTypes: ['MetricAlarm'],
          AlarmNames: names,
          MaxRecords: 100,
          NextToken: token,
        }),
        { abortSignal },
      ),
    );
    alarms.push(...(out.MetricAlarms ?? []).map(existing));
    token = out.NextToken;
    if (!token) return { alarms, truncated: false };
  }
  return { alarms, truncated: true };
}

const why = (err: unknown) => {
  if (isUserError(err)) return { why: err.message };
  throw err;
};
/** "arn:…:loadbalancer/app/x/123" → "app/x/123"; "arn:…:targetgroup/x/123" → "targetgroup/x/123" (CloudWatch's dimensions). */
const lbDimension = (arn: string) => arn.replace(/^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:loadbalancer\//, '');
const tgDimension = (arn: string) => arn.replace(/^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:/, '');

/** What the environment's alarms are about: its RDS instance, ALB and target groups, ECS services or Beanstalk group. */
export async function resolveAlarmResources(
  s: AwsSession,
  envName: string,
  env: EnvironmentConfig,
  needs: ReadonlySet<RecommendedAlarm['resource']>,
): Promise<AlarmResources> {
  const unneeded = { why: 'not needed' };
  const rds = env.rds ? { id: env.rds.instance } : { why: `add \`rds: { instance: … }\` to environments.${envName}` };
  const wantLb = needs.has('alb') || needs.has('target-group');
  const lbArn = wantLb && (env.loadBalancer || env.beanstalk) ? await loadBalancerArn(s, env).catch(why) : undefined;
  const alb =
    lbArn === undefined
      ? { why: `add \`loadBalancer: "app/<name>/<id>"\` to environments.${envName}` }
      : typeof lbArn === 'string'
        ? { id: lbDimension(lbArn) }
        : lbArn;
  const targetGroups = !needs.has('target-group')
    ? unneeded
    : typeof lbArn === 'string'
      ? await s
          .call('elasticloadbalancing:DescribeTargetGroups', (abortSignal) =>
            s.clients.elbv2.send(new elbv2.DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }), { abortSignal }),
          )
          .then((out) => ({
            list: (out.TargetGroups ?? []).map((g) => ({
              name: g.TargetGroupName ?? '?',
              id: tgDimension(g.TargetGroupArn ?? ''),
            })),
          }))
          .catch(why)
      : { why: 'why' in alb ? alb.why : 'no load balancer' };
  let app: AlarmResources['app'];
  if (!needs.has('app')) app = unneeded;
  else if (env.ecs) {
    const cluster = env.ecs.cluster;
    app = {
      list: env.ecs.services.map((service) => ({
        label: `ECS service ${service}`,
        key: env.ecs!.services.length > 1 ? service : '',
        namespace: 'AWS/ECS',
        dimensions: [
          { Name: 'ClusterName', Value: cluster },
          { Name: 'ServiceName', Value: service },
        ],
      })),
    };
  } else if (env.beanstalk) {
    const groups = await describeEbResources(s, env.beanstalk.environment).catch(why);
    const group = 'why' in groups ? undefined : groups.autoScalingGroups[0];
    app = group
      ? {
          list: [
            {
              label: `Auto Scaling group ${group}`,
              key: '',
              namespace: 'AWS/EC2',
              dimensions: [{ Name: 'AutoScalingGroupName', Value: group }],
            },
          ],
        }
      : { why: 'why' in groups ? groups.why : `\`${env.beanstalk.environment}\` has no Auto Scaling group` };
  } else app = { why: `add \`ecs\` or \`beanstalk\` to environments.${envName}` };
  return { rds, alb, targetGroups, app };
}

/**
 * PutMetricAlarm for one spec, notifying `topic` on ALARM and on OK (so the alert resolves). A percentage is metric
 * math over two sums. PutMetricAlarm replaces an alarm of the same name, so running it twice leaves one alarm.
 */
export async function putRecommendedAlarm(s: AwsSession, spec: AlarmSpec, topic: string): Promise<void> {
  const percentile = /^p\d/.test(spec.statistic);
  const shape = spec.per
    ? {
        Metrics: [
          {
            Id: 'm',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: spec.namespace, MetricName: spec.metric, Dimensions: spec.dimensions },
              Period: spec.period,
              Stat: 'Sum',
            },
          },
          {
            Id: 'd',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: spec.namespace, MetricName: spec.per, Dimensions: spec.dimensions },
              Period: spec.period,
              Stat: 'Sum',
            },
          },
          {
            Id: 'rate',
            ReturnData: true,
            Expression: 'IF(d > 0, 100 * m / d, 0)',
            Label: `${spec.metric} % of ${spec.per}`,
          },
        ],
      }
    : {
        Namespace: spec.namespace,
        MetricName: spec.metric,
        Dimensions: spec.dimensions,
        Period: spec.period,
        ...(percentile ? { ExtendedStatistic: spec.statistic } : { Statistic: spec.statistic as 'Average' }),
      };
  await s.call('cloudwatch:PutMetricAlarm', (abortSignal) =>
    s.clients.cloudwatch.send(
      new cloudwatch.PutMetricAlarmCommand({
        AlarmName: spec.name,
        AlarmDescription: spec.description,
        ActionsEnabled: true,
        AlarmActions: [topic],
        OKActions: [topic],
        ComparisonOperator: spec.comparison,
        Threshold: spec.threshold,
        EvaluationPeriods: spec.evaluationPeriods,
        // No data is not a breach: a quiet load balancer has no 5xx and no latency.
        TreatMissingData: 'notBreaching',
        ...shape,
      }),
      { abortSignal },
    ),
  );
}
