import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AwsAccess } from '../aws/clients.js';
import type { OpsConfig } from '../config/schema.js';
import { withTimeout } from '../errors.js';
import type { Logger } from '../log.js';
import type { AlertRepository } from '../store/alerts.js';
import type { NormalizedAlert } from './types.js';
import { cloudwatch as cloudwatchSdk } from '../aws/sdk.js';

const POLL_TIMEOUT_MS = 30_000;

function toAlert(
  alarm: MetricAlarm & CompositeAlarm,
  state: 'firing' | 'resolved',
  envName: string,
  region: string | undefined,
): NormalizedAlert {
  const name = alarm.AlarmName ?? 'alarm';
  const metric = alarm.MetricName
    ? {
        namespace: alarm.Namespace,
        name: alarm.MetricName,
        dimensions: Object.fromEntries((alarm.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? ''])),
        statistic: alarm.Statistic ?? alarm.ExtendedStatistic,
        period: alarm.Period,
        comparison: alarm.ComparisonOperator,
        threshold: alarm.Threshold,
      }
    : undefined;
  return {
    source: 'cloudwatch',
    key: alarm.AlarmArn ?? `cloudwatch:${name}`,
    title: name,
    state,
    reason: [alarm.AlarmDescription, alarm.StateReason].filter(Boolean).join(' — ') || undefined,
    alarmName: name,
    environment: envName,
    metric,
    at: (alarm.StateUpdatedTimestamp ?? new Date()).toISOString(),
    link: region
      ? `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(name)}`
      : undefined,
  };
}

/**
 * For teams without a public URL: DescribeAlarms per environment, compared
 * with the last state stored in Postgres; only transitions become alerts
 * (ALARM → firing, OK → resolved). Several replicas may poll; the conditional
 * upsert lets exactly one of them see each transition.
 */
export async function pollCloudWatch(deps: {
  config: OpsConfig;
  aws: AwsAccess;
  repo: AlertRepository;
  log: Logger;
}): Promise<NormalizedAlert[]> {
  const out: NormalizedAlert[] = [];
  for (const [envName, env] of Object.entries(deps.config.environments)) {
    try {
      const alarms = await withTimeout(`CloudWatch DescribeAlarms (${envName})`, POLL_TIMEOUT_MS, async (signal) => {
        const cloudwatch = deps.aws.forEnv(env).cloudwatch;
        const all: (MetricAlarm & CompositeAlarm)[] = [];
        let NextToken: string | undefined;
        do {
          const page = await cloudwatch.send(
            new cloudwatchSdk.DescribeAlarmsCommand({
              AlarmNamePrefix: env.alarms?.prefix,
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              MaxRecords: 100,
              NextToken,
            }),
            { abortSignal: signal },
          );
          all.push(
            ...((page.MetricAlarms ?? []) as (MetricAlarm & CompositeAlarm)[]),
            ...((page.CompositeAlarms ?? []) as (MetricAlarm & CompositeAlarm)[]),
          );
          NextToken = page.NextToken;
        } while (NextToken);
        return all;
      });
      const byArn = new Map(alarms.filter((a) => a.AlarmArn && a.StateValue).map((a) => [a.AlarmArn!, a]));
      const changed = await deps.repo.recordPollStates(
        envName,
        [...byArn.values()].map((a) => ({ arn: a.AlarmArn!, state: String(a.StateValue) })),
      );
      for (const c of changed) {
        const alarm = byArn.get(c.arn)!;
        // A first sighting of an OK alarm is not news; a change to OK resolves it.
        if (c.state === 'ALARM') out.push(toAlert(alarm, 'firing', envName, env.region));
        else if (c.state === 'OK' && !c.inserted) out.push(toAlert(alarm, 'resolved', envName, env.region));
      }
    } catch (err) {
      deps.log.warn({ err, env: envName }, 'CloudWatch alarm poll failed; trying again next round');
    }
  }
  return out;
}
