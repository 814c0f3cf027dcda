import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { pollCloudWatch } from '../../src/alerts/poller.js';
import { TestApp } from '../support/test-app.js';

const CONFIG = `
environments:
  prod: { region: us-east-1, alarms: { prefix: prod- } }
channels: { alerts: C0ALERTS }
alerts:
  groupWindow: 1s
  poll: { enabled: true, every: 1s }
`;

const alarm = (name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'): MetricAlarm => ({
  AlarmName: name,
  AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
  StateValue: state,
  StateReason: `state ${state}`,
  MetricName: 'CPUUtilization',
  Namespace: 'AWS/RDS',
  Threshold: 90,
  ComparisonOperator: 'GreaterThanThreshold',
  StateUpdatedTimestamp: new Date(),
});

describe('CloudWatch poller', () => {
  const cw = mockClient(CloudWatchClient);
  let alarms: MetricAlarm[] = [];
  let app: TestApp;

  beforeAll(async () => {
    // Like CloudWatch, only the alarms whose names start with the prefix asked for.
    cw.on(DescribeAlarmsCommand).callsFake(async (input: { AlarmNamePrefix?: string }) => ({
      MetricAlarms: alarms.filter((a) => a.AlarmName!.startsWith(input.AlarmNamePrefix ?? '')),
      CompositeAlarms: [],
    }));
    app = await TestApp.start({ configYaml: CONFIG });
  });
  afterAll(async () => {
    await app?.stop();
    cw.restore();
  });

  it('emits only transitions: a new ALARM fires, OK resolves it, steady states stay quiet', async () => {
    alarms = [alarm('prod-db-cpu', 'ALARM'), alarm('prod-api-5xx', 'OK')];
    const [post] = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.status === 200 && JSON.stringify(c.args).includes('prod-db-cpu'),
      { timeoutMs: 15_000 },
    );
    expect(cw).toHaveReceivedCommandWith(DescribeAlarmsCommand, { AlarmNamePrefix: 'prod-' });
    // A new alarm, seen by a later poll together with the two steady ones: once it shows in Slack,
    // anything that poll or an earlier one made of the steady alarms would have shown too.
    alarms = [...alarms, alarm('prod-marker', 'ALARM')];
    await app.fake.waitFor(
      (c) => c.method.startsWith('chat.') && c.status === 200 && JSON.stringify(c.args).includes('prod-marker'),
      { timeoutMs: 15_000 },
    );
    expect(
      app.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.status === 200 && JSON.stringify(c.args).includes('prod-db-cpu')),
    ).toHaveLength(1);
    expect(JSON.stringify(app.fake.calls)).not.toContain('prod-api-5xx');
    const { rows } = await app.runtime.pool.query(
      `SELECT title, count FROM alerts WHERE title LIKE 'prod-%' ORDER BY title`,
    );
    expect(rows).toEqual([
      { title: 'prod-db-cpu', count: 1 },
      { title: 'prod-marker', count: 1 },
    ]);

    alarms = [alarm('prod-db-cpu', 'OK'), alarm('prod-api-5xx', 'OK'), alarm('prod-marker', 'OK')];
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === post.response.ts && JSON.stringify(c.args).includes('#2EB67D'),
      { timeoutMs: 15_000 },
    );
  });

  it('two replicas polling at once see each transition exactly once', async () => {
    // The two replicas poll alarms named replica-*, which the app's own scheduled poll (prod-*) never sees,
    // so the two of them are the only pollers of this alarm.
    alarms = [alarm('replica-queue-depth', 'ALARM')];
    const prod = app.config.environments.prod;
    const deps = {
      config: { ...app.config, environments: { prod: { ...prod, alarms: { ...prod.alarms, prefix: 'replica-' } } } },
      aws: app.runtime.services.aws,
      repo: app.runtime.alerts.repo,
      log: app.runtime.options.log,
    };
    const [a, b] = await Promise.all([pollCloudWatch(deps), pollCloudWatch(deps)]);
    const seen = [...a, ...b].filter((x) => x.title === 'replica-queue-depth');
    expect(seen).toHaveLength(1);
    await app.runtime.alerts.accept([...a, ...b]);
    const { rows } = await app.runtime.pool.query(
      `SELECT state FROM alert_poll_state WHERE alarm_arn LIKE '%replica-queue-depth'`,
    );
    expect(rows).toEqual([{ state: 'ALARM' }]);
    await app.fake.waitFor(
      (c) => c.method.startsWith('chat.') && c.status === 200 && JSON.stringify(c.args).includes('replica-queue-depth'),
      { timeoutMs: 15_000 },
    );
  });
});
