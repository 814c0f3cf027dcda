// Application Auto Scaling and created CloudWatch alarms in the demo's simulated AWS: through the real SDK
// clients, then /ops autoscaling and /ops alarms audit end to end (signed Slack harness, approval, job).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { startAwsSimulator, type AwsSimulator } from '../../src/sandbox/aws/server.js';
import { DEMO_NAMES as N } from '../../src/sandbox/aws/fleet.js';
import { TestApp, replyText } from '../support/test-app.js';
import { useSdkEnv } from '../support/sdk-env.js';
import { waitUntil } from '../support/wait.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:expo-alerts';
const RESOURCE = `service/${N.cluster}/${N.service}`;

let sim: AwsSimulator;
let app: TestApp;
let restoreEnv = () => {};

beforeAll(async () => {
  sim = await startAwsSimulator({ timeScale: 0.1 });
  restoreEnv = useSdkEnv(sim.sdkEnv());
  app = await TestApp.start({
    progressIntervalMs: 20,
    configYaml: `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: ${N.application}, environment: ${N.environment} }
    rds: { instance: ${N.dbInstance} }
    alarms: { prefix: ${N.application}-prod-, snsTopic: ${TOPIC} }
    actions: { pollInterval: 100ms, rolloutTimeout: 30s }
  api:
    region: us-east-1
    ecs: { cluster: ${N.cluster}, services: [${N.service}] }
    actions: { pollInterval: 100ms, rolloutTimeout: 30s }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: [autoscaling, alarms audit]
      allow: [oncall]
`,
  });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
  restoreEnv();
});

describe('simulated Application Auto Scaling and PutMetricAlarm, through the real SDK clients', () => {
  it('RegisterScalableTarget refuses min > max, sets the range and moves the desired count inside it', async () => {
    const aas = new ApplicationAutoScalingClient({ region: N.region });
    try {
      const base = {
        ServiceNamespace: 'ecs',
        ResourceId: RESOURCE,
        ScalableDimension: 'ecs:service:DesiredCount',
      } as const;
      await expect(
        aas.send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 5, MaxCapacity: 3 })),
      ).rejects.toMatchObject({
        name: 'ValidationException',
      });
      await aas.send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 3, MaxCapacity: 6 }));
      const t = await aas.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [RESOURCE] }),
      );
      expect(t.ScalableTargets?.[0]).toMatchObject({ MinCapacity: 3, MaxCapacity: 6 });
      expect(sim.fleet.ecs.desired).toBe(3);
      const a = await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE }));
      expect(a.ScalingActivities?.[0]?.Description).toBe('Setting desired count to 3.');
      // Back to the demo's range for the /ops test below.
      await aas.send(new RegisterScalableTargetCommand({ ...base, MinCapacity: 1, MaxCapacity: 4 }));
    } finally {
      aas.destroy();
    }
  });

  it('PutMetricAlarm (metric math) shows in DescribeAlarms beside the built-in alarms, with NextToken pages', async () => {
    const cw = new CloudWatchClient({ region: N.region });
    try {
      await expect(
        cw.send(
          new PutMetricAlarmCommand({
            AlarmName: 'broken',
            ComparisonOperator: 'GreaterThanThreshold',
            EvaluationPeriods: 1,
            Threshold: 1,
          }),
        ),
      ).rejects.toThrow('Either MetricName or Metrics must be specified');
      const dims = [{ Name: 'LoadBalancer', Value: 'app/x/1' }];
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'sdk-5xx-rate',
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          Threshold: 5,
          AlarmActions: [TOPIC],
          Metrics: [
            {
              Id: 'm',
              ReturnData: false,
              MetricStat: {
                Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: dims },
                Period: 300,
                Stat: 'Sum',
              },
            },
            {
              Id: 'd',
              ReturnData: false,
              MetricStat: {
                Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: dims },
                Period: 300,
                Stat: 'Sum',
              },
            },
            { Id: 'rate', ReturnData: true, Expression: '100 * m / d' },
          ],
        }),
      );
      const named = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-5xx-rate'] }));
      expect(named.MetricAlarms?.[0]).toMatchObject({
        AlarmName: 'sdk-5xx-rate',
        StateValue: 'INSUFFICIENT_DATA',
        AlarmActions: [TOPIC],
      });
      expect(named.MetricAlarms?.[0]?.Metrics?.[2]?.Expression).toBe('100 * m / d');
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 2, NextToken: token }));
        names.push(...(page.MetricAlarms ?? []).map((x) => x.AlarmName!));
        token = page.NextToken;
      } while (token);
      expect(names).toContain('sdk-5xx-rate');
      expect(names).toContain(`${N.application}-prod-high-latency`);
      expect(new Set(names).size).toBe(names.length);
    } finally {
      cw.destroy();
    }
  });
});

describe('/ops autoscaling and /ops alarms audit against the simulated AWS', () => {
  async function approveAndFinish(ask: string, channel: string, done: string): Promise<string> {
    expect(replyText(await app.ask(ask, { userId: 'U0ALICE', channelId: channel, timeoutMs: 15_000 }))).toContain(
      'needs approval',
    );
    const [posted] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        JSON.stringify(c.args).includes('approval.approve'),
    );
    const id = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(posted.args))![1];
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: channel });
    return waitUntil(
      `the job in ${channel}`,
      () => {
        const m = app.fake.lastMessage(channel);
        const json = m ? JSON.stringify([m.blocks, m.attachments]) : '';
        return json.includes(done) || json.includes('— failed') ? json : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
  }

  it('/ops autoscaling compares ECS and Beanstalk with the guides; --min/--max is applied and followed', async () => {
    const ecs = replyText(await app.ask('autoscaling api', { timeoutMs: 15_000 }));
    expect(ecs).toMatch(/min tasks\s+1\s+2\s+≠ differs/);
    expect(ecs).toMatch(/scale-in cooldown\s+1 min\s+5 min\s+≠ differs/);
    const eb = replyText(await app.ask('autoscaling prod', { timeoutMs: 15_000 }));
    expect(eb).toMatch(/trigger metric\s+NetworkOut\s+CPUUtilization\s+≠ differs/);
    const final = await approveAndFinish('autoscaling api --min 2 --max 20', 'C0SIMASG', 'now scales between');
    expect(final).toContain('now scales between 2 and 20');
    expect(sim.calls.some((c) => c.operation === 'RegisterScalableTarget' && !c.error)).toBe(true);
    expect(replyText(await app.ask('autoscaling api', { timeoutMs: 15_000 }))).toMatch(/max tasks\s+20\s+20\s+✓/);
  });

  it('/ops alarms audit lists the Expo guide’s missing alarms; --create makes them and the audit is clean after', async () => {
    const before = replyText(await app.ask('alarms audit prod', { timeoutMs: 15_000 }));
    expect(before).toContain('recommended alarms missing');
    // The demo's own alarm on RDS CPU is at 80 %, the guide's at 90 %.
    expect(before).toContain('expo-project-prod-db-cpu-high` (Database CPU &gt; 90 %): threshold 80, guide 90');
    expect(before).toContain('threshold 5 GB, guide 2 GB');
    const since = Date.now();
    const final = await approveAndFinish('alarms audit prod --create', 'C0SIMALARMS', 'recommended alarms created');
    expect(final).toContain('recommended alarms created');
    const after = replyText(await app.ask('alarms audit prod', { timeoutMs: 15_000 }));
    expect(after).not.toContain('✗ missing');
    const puts = sim.calls.filter((c) => c.operation === 'PutMetricAlarm' && c.at >= since);
    expect(puts.length).toBe(2);
    expect(puts.filter((c) => c.error)).toEqual([]);
  });
});
