import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { TestApp, replyText } from '../support/test-app.js';
import { awsError, hang, mockAws } from '../support/aws-mocks.js';
import { AWS_CONFIG } from '../support/aws-context.js';
import {
  applicationVersions,
  degradedEnvironment,
  environmentResources,
  recentEvents,
  severeHealth,
} from '../fixtures/aws/beanstalk.js';
import { failingDeployment, stoppedTasks, taskDefinition, taskDefinitionList } from '../fixtures/aws/ecs.js';
import { dbInstance } from '../fixtures/aws/rds.js';
import { alarmsInSeveralStates, onlyInAlarm, series } from '../fixtures/aws/cloudwatch.js';
import { backendEvents, manyEvents } from '../fixtures/aws/logs.js';

const aws = mockAws();
const GB = 1024 ** 3;

/** Realistic values per query id; the database CPU is the one past its threshold. */
const METRIC_VALUES: Record<string, number[]> = {
  free: [41 * GB, 40 * GB],
  db_free: [41, 40],
  db_cpu: [50, 60, 95],
  rate_5xx: [0.1, 0.2],
  rate_4xx: [0.4, 0.5],
  cache_hit: [95, 96],
};

function stubHealthyishAws(): void {
  const now = new Date();
  aws.eb.on(DescribeEnvironmentsCommand).resolves(degradedEnvironment);
  aws.eb.on(DescribeEnvironmentHealthCommand).resolves(severeHealth);
  aws.eb.on(DescribeEventsCommand).resolves(recentEvents);
  aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
  aws.eb.on(DescribeApplicationVersionsCommand).resolves(applicationVersions);
  aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance());
  aws.ecs.on(DescribeServicesCommand).resolves(failingDeployment);
  aws.ecs.on(ListTasksCommand).resolves({ taskArns: stoppedTasks.tasks!.map((t) => t.taskArn!) });
  aws.ecs.on(DescribeTasksCommand).resolves(stoppedTasks);
  aws.ecs.on(ListTaskDefinitionsCommand).resolves(taskDefinitionList);
  aws.ecs
    .on(DescribeTaskDefinitionCommand)
    .callsFake((input: { taskDefinition: string }) => taskDefinition(Number(input.taskDefinition.split(':').pop())));
  aws.cw.on(DescribeAlarmsCommand).resolves(onlyInAlarm(alarmsInSeveralStates));
  aws.cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? [])
      .filter((q) => q.ReturnData !== false)
      .map((q) => series(q.Id!, METRIC_VALUES[q.Id!] ?? [10, 20, 30], now)),
  }));
  aws.logs.on(FilterLogEventsCommand).resolves({ events: backendEvents });
}

describe('AWS commands end to end (signed slash commands, stubbed AWS)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: AWS_CONFIG });
  });
  afterEach(() => aws.reset());
  afterAll(async () => {
    aws.restore();
    await app?.stop();
  });

  it('/ops status: a degraded Beanstalk environment, verdict first, in red, within 5 s', async () => {
    stubHealthyishAws();
    const started = Date.now();
    const reply = await app.ask('status prod');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(reply.response_type).toBe('in_channel');
    expect(JSON.stringify(reply.blocks)).toContain('prod is degraded');
    expect(reply.attachments?.[0].color).toBe('#E01E5A');
    const text = replyText(reply);
    expect(text).toContain('Instance deployment failed');
    expect(text).toContain('RDS* `expo-project-prod-db` — available');
  });

  it('/ops status staging: a failing ECS deployment with the stop reasons', async () => {
    stubHealthyishAws();
    const text = replyText(await app.ask('status staging'));
    expect(text).toContain('ECS deployment circuit breaker: tasks failed to start.');
    expect(text).toContain('CannotPullContainerError');
  });

  it('/ops status answers within 5 s when a call hangs, naming it', async () => {
    stubHealthyishAws();
    aws.eb.on(DescribeEnvironmentHealthCommand).callsFake(hang);
    const started = Date.now();
    const reply = await app.ask('status prod');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(replyText(reply)).toContain('Elastic Beanstalk DescribeEnvironmentHealth unreachable after 4s');
    expect(replyText(reply)).toContain('version `app-v42-251123_0850`');
  });

  it('/ops alarms: firing alarms with links; AccessDenied names the IAM action', async () => {
    stubHealthyishAws();
    const reply = await app.ask('alarms');
    const text = replyText(reply);
    expect(JSON.stringify(reply.blocks)).toContain('prod: 3 alarms in ALARM');
    expect(text).toContain(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/expo-project-prod-db-cpu-high',
    );
    aws.cw
      .on(DescribeAlarmsCommand)
      .rejects(awsError('AccessDenied', 'User is not authorized to perform: cloudwatch:DescribeAlarms'));
    const denied = await app.ask('alarms prod --all');
    expect(denied.response_type).toBe('ephemeral');
    expect(replyText(denied)).toContain('lacks `cloudwatch:DescribeAlarms`');
  });

  it('/ops metrics: thresholds, sparklines, and the chart uploaded as a PNG', async () => {
    stubHealthyishAws();
    const reply = await app.ask('metrics prod --since 1h', { channelId: 'C0METRICS' });
    const text = replyText(reply);
    // Judged on the window, with the firing alarms on the same resources beside their metrics.
    expect(text).toContain('prod: 2 metrics yellow* (last 1h) — 5xx rate over 0.10 % since');
    expect(text).toContain('Database CPU crossed 90.0 % briefly at');
    expect(text).toContain('alarm `expo-project-prod-db-cpu-high` in ALARM since 08:56');
    expect(text).toContain('*CPU* 95.0 % (max 95.0 %)');
    const [upload] = await app.fake.waitFor('files.completeUploadExternal');
    expect(upload.args.channel_id).toBe('C0METRICS');
    const file = Object.values(app.fake.files).find((f) => f.filename === 'metrics-prod.png');
    expect(file).toBeDefined();
    expect(app.fake.uploads[file!.id].subarray(1, 4).toString()).toBe('PNG');
  });

  it('/ops metrics rejects a bad --since with what to type instead', async () => {
    const reply = await app.ask('metrics --since soon');
    expect(replyText(reply)).toContain('\\"soon\\" is not a duration; write it like 30s, 15m, 1h or 2d');
    expect(replyText(reply)).toContain('/ops metrics [env] [--since 1h]');
  });

  it('/ops logs: matching lines newest last; a long result comes as a file', async () => {
    stubHealthyishAws();
    const reply = await app.ask('logs staging ECONNREFUSED --since 30m');
    const text = replyText(reply);
    expect(text).toContain('ECONNREFUSED');
    expect(text.indexOf('08:50:01')).toBeLessThan(text.indexOf('08:55:13'));
    aws.logs.on(FilterLogEventsCommand).resolves({ events: manyEvents(300, new Date()) });
    const long = await app.ask('logs prod', { channelId: 'C0LOGS' });
    expect(replyText(long)).toContain('are in the attached file');
    await app.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === 'C0LOGS');
  });

  it('/ops logs on an environment without log groups says which field to add', async () => {
    const reply = await app.ask('logs bare');
    expect(replyText(reply)).toContain('has no log groups configured');
    expect(replyText(reply)).toContain('logs: { groups: [');
  });

  it('/ops deploy history: live version and rollback target, for Beanstalk and ECS', async () => {
    stubHealthyishAws();
    const eb = replyText(await app.ask('deploy history'));
    expect(eb).toContain('a rollback would go back to `app-v41-251120_1400`');
    const ecs = replyText(await app.ask('deploy history staging'));
    expect(ecs).toContain('a rollback would go back to `expertconnect-prod-backend:7`');
  });

  it('lists the new commands in /ops help', async () => {
    const text = replyText(await app.ask('help'));
    for (const name of ['status', 'alarms', 'metrics', 'logs', 'deploy history'])
      expect(text).toContain(`/ops ${name}`);
  });
});
