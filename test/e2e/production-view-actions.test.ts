import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeAlarmsCommand, PutMetricAlarmCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  RebuildEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { TestApp, replyText } from '../support/test-app.js';
import { mockAws } from '../support/aws-mocks.js';
import { waitUntil } from '../support/wait.js';
import * as fx from '../fixtures/aws-actions/responses.js';
import { cpuPolicyOnly, recentActivities, scalableTarget } from '../fixtures/aws/autoscaling.js';
import { steadyService } from '../fixtures/aws/ecs.js';
import { environmentResources } from '../fixtures/aws/beanstalk.js';

const aws = mockAws();
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:expo-alerts';

const CONFIG = `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: ${fx.EB_APP}, environment: ${fx.EB_ENV} }
    rds: { instance: ${fx.RDS_INSTANCE} }
    alarms: { prefix: expo-project-prod, snsTopic: ${TOPIC}, guide: expo }
    logs: { groups: ["/aws/elasticbeanstalk/expo-project-prod-env/var/log/web.stdout.log"] }
    actions: { pollInterval: 50ms, rolloutTimeout: 20s }
  api:
    region: us-east-1
    ecs: { cluster: ${fx.CLUSTER}, services: [${fx.SERVICE}] }
    actions: { pollInterval: 50ms, rolloutTimeout: 20s }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: [rebuild]
      allow: [oncall]
      approval: { approvers: [oncall], expires: 15m }
    # Reads run at once; a change (needsApproval) goes through the gate, approved by someone else.
    - commands: [autoscaling, alarms audit, logs retention]
      allow: [oncall]
`;

describe('rebuild, logs retention, autoscaling and alarms audit through Slack: approval, job, outcome', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG, progressIntervalMs: 20 });
  });
  afterAll(async () => {
    await app?.stop();
    aws.restore();
  });
  beforeEach(() => aws.reset());

  async function card(text: string, channel: string) {
    const [posted] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        JSON.stringify(c.args).includes(text) &&
        JSON.stringify(c.args).includes('approval.approve'),
    );
    const json = JSON.stringify(posted.args);
    return { json, id: /"value":"([0-9a-f-]{36})"/.exec(json)![1] };
  }

  function finalMessage(channel: string, done: string): Promise<string> {
    return waitUntil(
      `the job in ${channel} to finish`,
      () => {
        const m = app.fake.lastMessage(channel);
        const json = m ? JSON.stringify([m.blocks, m.attachments]) : '';
        return json.includes(done) || json.includes('— failed') ? json : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 40 },
    );
  }

  /** Approves as Bob what Alice asked for, and waits for the job's last message. */
  async function approveAndFinish(ask: string, channel: string, cardText: string, done: string) {
    expect(replyText(await app.ask(ask, { userId: 'U0ALICE', channelId: channel }))).toContain('needs approval');
    const { json, id } = await card(cardText, channel);
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: channel });
    return { card: json, final: await finalMessage(channel, done) };
  }

  it('rebuild: approved by someone else, RebuildEnvironment, followed until Ready', async () => {
    let polls = -1;
    aws.eb.on(DescribeEventsCommand).resolves({
      Events: [{ EventDate: new Date(), Message: 'rebuildEnvironment is starting.', Severity: 'INFO' }],
    });
    aws.eb.on(RebuildEnvironmentCommand).callsFake(() => {
      polls = 3;
      return {};
    });
    aws.eb
      .on(DescribeEnvironmentsCommand)
      .callsFake(() =>
        polls-- > 0
          ? fx.ebEnvironment('Updating', 'Grey', 'app-v42')
          : fx.ebEnvironment('Ready', 'Green', 'app-v42', 'Ok'),
      );
    const { card: shown, final } = await approveAndFinish('rebuild prod', 'C0REBUILD', 'rebuild prod', 'done in');
    expect(shown).toContain('RebuildEnvironment terminates and recreates every instance');
    expect(final).toContain('is done');
    expect(aws.eb).toHaveReceivedCommandWith(RebuildEnvironmentCommand, { EnvironmentName: fx.EB_ENV });
    expect(aws.eb).toHaveReceivedCommandTimes(RebuildEnvironmentCommand, 1);
    // It was followed: the environment was described while Updating and once more when Ready.
    expect(aws.eb.commandCalls(DescribeEnvironmentsCommand).length).toBeGreaterThanOrEqual(4);
  });

  it('logs retention <days>: the card lists each group, approval puts the policy', async () => {
    const group = '/aws/elasticbeanstalk/expo-project-prod-env/var/log/web.stdout.log';
    let days: number | undefined;
    aws.logs.on(DescribeLogGroupsCommand).callsFake(() => ({
      logGroups: [{ logGroupName: group, retentionInDays: days, storedBytes: 1024 }],
    }));
    aws.logs.on(PutRetentionPolicyCommand).callsFake((input: { retentionInDays: number }) => {
      days = input.retentionInDays;
      return {};
    });
    const { card: shown, final } = await approveAndFinish(
      'logs retention prod 30',
      'C0RETAIN',
      'logs retention prod 30',
      'now keep',
    );
    expect(shown).toContain(`${group} never expires → 30d`);
    expect(final).toContain('prod: 1 log group now keeps 30 days');
    expect(aws.logs).toHaveReceivedCommandWith(PutRetentionPolicyCommand, { logGroupName: group, retentionInDays: 30 });
    expect(replyText(await app.ask('logs retention prod'))).toContain('every log group keeps its logs as recommended');
  });

  it('autoscaling: the read compares with the guide; --min/--max needs approval and is followed until applied', async () => {
    let range = { min: 1, max: 5 };
    aws.aas.on(DescribeScalableTargetsCommand).callsFake(() => scalableTarget(range.min, range.max));
    aws.aas.on(DescribeScalingPoliciesCommand).resolves(cpuPolicyOnly);
    aws.aas.on(DescribeScalingActivitiesCommand).resolves(recentActivities);
    aws.aas.on(RegisterScalableTargetCommand).callsFake((input: { MinCapacity: number; MaxCapacity: number }) => {
      range = { min: input.MinCapacity, max: input.MaxCapacity };
      return {};
    });
    aws.ecs.on(DescribeServicesCommand).resolves(steadyService);
    expect(replyText(await app.ask('autoscaling api'))).toContain('auto scaling differs from the guides');
    const { card: shown, final } = await approveAndFinish(
      'autoscaling api --min 2 --max 20',
      'C0ASG',
      'autoscaling api',
      'now scales between',
    );
    expect(shown).toContain('min / max 1 / 5 → 2 / 20');
    expect(final).toContain('now scales between 2 and 20');
    expect(aws.aas).toHaveReceivedCommandWith(RegisterScalableTargetCommand, { MinCapacity: 2, MaxCapacity: 20 });
    expect(replyText(await app.ask('autoscaling api --min 9 --max 3'))).toContain(
      'The minimum (9) is above the maximum (3).',
    );
  });

  it('alarms audit: lists what is missing; --create needs approval and puts the missing alarms on the SNS topic', async () => {
    let alarms: MetricAlarm[] = [];
    aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
    aws.cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
      MetricAlarms: input.AlarmNames ? alarms.filter((a) => input.AlarmNames!.includes(a.AlarmName!)) : alarms,
    }));
    aws.cw.on(PutMetricAlarmCommand).callsFake((input: MetricAlarm) => {
      alarms = [...alarms, { ...input, StateValue: 'INSUFFICIENT_DATA' }];
      return {};
    });
    const before = replyText(await app.ask('alarms audit prod'));
    expect(before).toContain('recommended alarms missing');
    expect(before).toContain('Expo Maintenance and Operations Guide');
    const { card: shown, final } = await approveAndFinish(
      'alarms audit prod --create',
      'C0ALARMS',
      'alarms audit prod',
      'recommended alarms created',
    );
    expect(shown).toContain('expo-project-prod-db-cpu-critical');
    expect(final).toContain('recommended alarms created');
    const puts = aws.cw.commandCalls(PutMetricAlarmCommand).map((c) => c.args[0].input);
    expect(puts.length).toBeGreaterThanOrEqual(3);
    expect(puts.every((p) => p.AlarmActions?.[0] === TOPIC)).toBe(true);
    expect(replyText(await app.ask('alarms audit prod'))).not.toContain('✗ missing');
  });
});
