import { fakeServices } from '../support/services.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  DescribeTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateDBSnapshotCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { AwsSession } from '../../src/aws/session.js';
import { planEbRollback, planEcsRollback } from '../../src/aws/rollout.js';
import type { JobContext } from '../../src/core/job.js';
import { rollbackJob } from '../../commands/rollback.js';
import { restartJob } from '../../commands/restart.js';
import { scaleJob } from '../../commands/scale.js';
import { backupJob } from '../../commands/backup/backup.js';
import { restoreJob } from '../../commands/restore.js';
import * as fx from '../fixtures/aws-actions/responses.js';
import { waitUntil } from '../support/wait.js';

const eb = mockClient(ElasticBeanstalkClient);
const ecs = mockClient(ECSClient);
const rds = mockClient(RDSClient);
const autoscaling = mockClient(AutoScalingClient);

const { config } = parseConfig(
  `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: ${fx.EB_APP}, environment: ${fx.EB_ENV} }
    ecs: { cluster: ${fx.CLUSTER}, services: [${fx.SERVICE}] }
    rds: { instance: ${fx.RDS_INSTANCE} }
    actions: { pollInterval: 20ms, rolloutTimeout: 5s, snapshotTimeout: 400ms, restoreTimeout: 5s, healthGrace: 150ms }
`,
  {},
);
const aws = new AwsClientFactory();
afterAll(() => aws.destroy());

function jobContext(signal: AbortSignal = new AbortController().signal) {
  const notes: { percent: number; note?: string }[] = [];
  const ctx: JobContext = {
    jobId: '1',
    config,
    log: createLogger('silent'),
    services: fakeServices({ aws }),
    signal,
    progress: async (percent, note) => {
      notes.push({ percent, note });
    },
  };
  return { ctx, notes };
}

const session = () => new AwsSession(aws.forEnv(config.environments.prod));
const ebTarget = { kind: 'beanstalk' as const, application: fx.EB_APP, environment: fx.EB_ENV };
const ecsTarget = { kind: 'ecs' as const, cluster: fx.CLUSTER, service: fx.SERVICE };

beforeEach(() => {
  for (const m of [eb, ecs, rds, autoscaling]) m.reset();
});

describe('rollback on Elastic Beanstalk', () => {
  it('plans the version before the running one, or refuses an unknown named version', async () => {
    eb.on(DescribeEnvironmentsCommand).resolves(fx.ebEnvironment('Ready', 'Green', 'app-v42'));
    eb.on(DescribeApplicationVersionsCommand, { ApplicationName: fx.EB_APP, MaxRecords: 50 }).resolves(fx.ebVersions);
    expect(await planEbRollback(session(), fx.EB_APP, fx.EB_ENV, undefined)).toEqual({
      from: 'app-v42',
      to: 'app-v41',
    });
    eb.on(DescribeApplicationVersionsCommand, { ApplicationName: fx.EB_APP, VersionLabels: ['app-v7'] }).resolves({
      ApplicationVersions: [],
    });
    eb.on(DescribeApplicationVersionsCommand, { ApplicationName: fx.EB_APP, MaxRecords: 5 }).resolves(fx.ebVersions);
    await expect(planEbRollback(session(), fx.EB_APP, fx.EB_ENV, 'app-v7')).rejects.toThrow(/has no version `app-v7`/);
  });

  it('deploys the version and follows it until Ready and Green', async () => {
    eb.on(DescribeEnvironmentsCommand)
      .resolvesOnce(fx.ebEnvironment('Ready', 'Green', 'app-v42'))
      .resolvesOnce(fx.ebEnvironment('Updating', 'Grey', 'app-v42'))
      .resolvesOnce(fx.ebEnvironment('Updating', 'Grey', 'app-v41'))
      .resolves(fx.ebEnvironment('Ready', 'Green', 'app-v41', 'Ok'));
    eb.on(UpdateEnvironmentCommand).resolves({
      EnvironmentName: fx.EB_ENV,
      Status: 'Updating',
      VersionLabel: 'app-v41',
    });
    eb.on(DescribeEventsCommand).resolves({ Events: [fx.ebDegradedEvents.Events![1]] });
    const { ctx, notes } = jobContext();
    const reply = await rollbackJob.run(ctx, { env: 'prod', target: ebTarget, from: 'app-v42', to: 'app-v41' });
    expect(eb).toHaveReceivedCommandWith(UpdateEnvironmentCommand, {
      EnvironmentName: fx.EB_ENV,
      VersionLabel: 'app-v41',
    });
    expect(reply.text).toContain('done');
    expect(JSON.stringify(reply.blocks)).toContain('Was `app-v42`, now `app-v41`');
    expect(notes.some((n) => n.note?.includes('Updating'))).toBe(true);
  });

  it('reports a rollback that ends degraded (Ready but Red) as a failure with the events', async () => {
    eb.on(DescribeEnvironmentsCommand)
      .resolvesOnce(fx.ebEnvironment('Ready', 'Green', 'app-v42'))
      .resolvesOnce(fx.ebEnvironment('Updating', 'Grey', 'app-v41'))
      .resolves(fx.ebEnvironment('Ready', 'Red', 'app-v41', 'Severe'));
    eb.on(UpdateEnvironmentCommand).resolves({});
    eb.on(DescribeEventsCommand).resolves(fx.ebDegradedEvents);
    const { ctx } = jobContext();
    const failure = await rollbackJob
      .run(ctx, { env: 'prod', target: ebTarget, from: 'app-v42', to: 'app-v41' })
      .catch((e: unknown) => e as Error & { hint?: string });
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /Rollback of Elastic Beanstalk `expo-project-prod-env` to `app-v41` failed: .*health is Red \(Severe\)/,
    );
    expect((failure as { hint?: string }).hint).toContain('Environment health has transitioned from Ok to Severe');
    expect((failure as { hint?: string }).hint).toContain('/ops rollback prod app-v42');
  });

  it('changes nothing when the environment runs another version than the one approved', async () => {
    eb.on(DescribeEnvironmentsCommand).resolves(fx.ebEnvironment('Ready', 'Green', 'app-v43'));
    const { ctx } = jobContext();
    await expect(
      rollbackJob.run(ctx, { env: 'prod', target: ebTarget, from: 'app-v42', to: 'app-v41' }),
    ).rejects.toThrow(/now runs `app-v43`/);
    expect(eb).not.toHaveReceivedCommand(UpdateEnvironmentCommand);
  });

  it('restarts the app server and waits for a healthy environment', async () => {
    eb.on(DescribeEnvironmentsCommand)
      .resolvesOnce(fx.ebEnvironment('Updating', 'Grey', 'app-v42'))
      .resolves(fx.ebEnvironment('Ready', 'Green', 'app-v42'));
    eb.on(DescribeEventsCommand).resolves({ Events: [] });
    const { ctx } = jobContext();
    const reply = await restartJob.run(ctx, { env: 'prod', target: ebTarget });
    expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(0);
    expect(reply.text).toMatch(/Restart of Elastic Beanstalk expo-project-prod-env done/);
  });
});

describe('rollback and restart on ECS', () => {
  it('plans the previous ACTIVE revision', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolves(fx.ecsService(42, [fx.ecsDeployment('ecs-svc/1111', 42, 'PRIMARY', 'COMPLETED', 2)]));
    ecs.on(ListTaskDefinitionsCommand).resolves(fx.ecsRevisions);
    expect(await planEcsRollback(session(), fx.CLUSTER, fx.SERVICE, undefined)).toEqual({
      from: 'expertconnect-backend:42',
      to: 'expertconnect-backend:41',
    });
    ecs
      .on(DescribeTaskDefinitionCommand)
      .rejects(
        Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException', $metadata: {} }),
      );
    await expect(planEcsRollback(session(), fx.CLUSTER, fx.SERVICE, '7')).rejects.toThrow(
      /no task definition `expertconnect-backend:7`/,
    );
  });

  it('follows the deployment to COMPLETED', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce(fx.ecsService(42, [fx.ecsDeployment('ecs-svc/1111', 42, 'PRIMARY', 'COMPLETED', 2)]))
      .resolvesOnce(
        fx.ecsService(41, [
          fx.ecsDeployment('ecs-svc/2222', 41, 'PRIMARY', 'IN_PROGRESS', 1),
          fx.ecsDeployment('ecs-svc/1111', 42, 'ACTIVE', 'COMPLETED', 1),
        ]),
      )
      .resolves(fx.ecsService(41, [fx.ecsDeployment('ecs-svc/2222', 41, 'PRIMARY', 'COMPLETED', 2)]));
    ecs.on(UpdateServiceCommand).resolves(fx.ecsUpdateResponse(41, 'ecs-svc/2222'));
    const { ctx, notes } = jobContext();
    const reply = await rollbackJob.run(ctx, {
      env: 'prod',
      target: ecsTarget,
      from: 'expertconnect-backend:42',
      to: 'expertconnect-backend:41',
    });
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: fx.CLUSTER,
      service: fx.SERVICE,
      taskDefinition: 'expertconnect-backend:41',
    });
    expect(reply.text).toContain('COMPLETED');
    expect(notes.some((n) => n.note?.includes('1/2 tasks running'))).toBe(true);
  });

  it('reports a FAILED rollout with its rolloutStateReason and why tasks stopped', async () => {
    const reason = 'ECS deployment circuit breaker: tasks failed to start.';
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce(fx.ecsService(42, [fx.ecsDeployment('ecs-svc/1111', 42, 'PRIMARY', 'COMPLETED', 2)]))
      .resolvesOnce(fx.ecsService(41, [fx.ecsDeployment('ecs-svc/2222', 41, 'PRIMARY', 'IN_PROGRESS', 0)]))
      .resolves(
        fx.ecsService(
          41,
          [
            fx.ecsDeployment('ecs-svc/2222', 41, 'PRIMARY', 'FAILED', 0, 2, reason),
            fx.ecsDeployment('ecs-svc/1111', 42, 'ACTIVE', 'COMPLETED', 2),
          ],
          2,
          2,
          ['(service expertconnect-prod-backend) deployment ecs-svc/2222 deployment failed: tasks failed to start.'],
        ),
      );
    ecs.on(UpdateServiceCommand).resolves(fx.ecsUpdateResponse(41, 'ecs-svc/2222'));
    ecs
      .on(ListTasksCommand)
      .resolves({ taskArns: ['arn:aws:ecs:us-east-1:123456789012:task/expertconnect-prod-cluster/0f1e2d3c4b5a'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/expertconnect-prod-cluster/0f1e2d3c4b5a',
          taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/expertconnect-backend:41',
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          stoppedAt: new Date('2026-11-23T09:13:00Z'),
          containers: [{ name: 'backend', exitCode: 1 }],
        },
      ],
    });
    const { ctx } = jobContext();
    const failure = (await restartJob
      .run(ctx, { env: 'prod', target: ecsTarget })
      .catch((e: unknown) => e)) as Error & { hint?: string };
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { forceNewDeployment: true });
    expect(failure.message).toContain(reason);
    expect(failure.hint).toContain('Essential container in task exited');
    expect(failure.hint).toContain('backend exit 1');
    expect(failure.hint).toContain('deployment failed: tasks failed to start');
  });
});

describe('scale', () => {
  it('sets Beanstalk MinSize and MaxSize through the environment and follows the instances', async () => {
    eb.on(UpdateEnvironmentCommand).resolves({});
    eb.on(DescribeEnvironmentsCommand)
      .resolvesOnce(fx.ebEnvironment('Updating', 'Grey', 'app-v42'))
      .resolves(fx.ebEnvironment('Ready', 'Green', 'app-v42'));
    eb.on(DescribeEnvironmentResourcesCommand).resolves(fx.ebResources);
    // First the precondition (desired 2, as planned), then the followed scale-out.
    autoscaling
      .on(DescribeAutoScalingGroupsCommand)
      .resolvesOnce(fx.asg(2, 2))
      .resolvesOnce(fx.asg(3, 2))
      .resolves(fx.asg(3, 3));
    const { ctx } = jobContext();
    const reply = await scaleJob.run(ctx, { env: 'prod', target: ebTarget, from: 2, to: 3 });
    expect(eb).toHaveReceivedCommandWith(UpdateEnvironmentCommand, {
      EnvironmentName: fx.EB_ENV,
      OptionSettings: [
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '3' },
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '3' },
      ],
    });
    expect(reply.text).toContain('scaled 2 → 3');
  });

  it('sets the ECS desired count and waits until that many tasks run', async () => {
    ecs.on(UpdateServiceCommand).resolves(fx.ecsUpdateResponse(42, 'ecs-svc/1111', 0));
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce(fx.ecsService(42, [], 2, 2))
      .resolvesOnce(fx.ecsService(42, [], 0, 1))
      .resolves(fx.ecsService(42, [], 0, 0));
    const { ctx } = jobContext();
    const reply = await scaleJob.run(ctx, { env: 'prod', target: ecsTarget, from: 2, to: 0 });
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 0 });
    expect(reply.tone).toBe('warning');
    expect(JSON.stringify(reply.blocks)).toContain('/ops scale prod 2');
  });
});

describe('backup and restore', () => {
  it('gives up on a snapshot that never becomes available, with a clear timeout message', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: fx.snapshot('opsbot-prod-20261123-0912', 'creating', 0) });
    rds
      .on(DescribeDBSnapshotsCommand)
      .resolves({ DBSnapshots: [fx.snapshot('opsbot-prod-20261123-0912', 'creating', 10)] });
    const { ctx, notes } = jobContext();
    const failure = (await backupJob
      .run(ctx, { env: 'prod', instance: fx.RDS_INSTANCE, snapshotId: 'opsbot-prod-20261123-0912' })
      .catch((e: unknown) => e)) as Error & { hint?: string };
    expect(failure.message).toMatch(
      /Gave up waiting for snapshot `opsbot-prod-20261123-0912` to become available .*limit 400ms.*creating, 10%/,
    );
    expect(failure.hint).toContain('/ops backup list');
    expect(notes.some((n) => n.note === 'creating, 10%')).toBe(true);
  });

  it('follows a snapshot with RDS PercentProgress until available', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: fx.snapshot('opsbot-prod-x', 'creating', 0) });
    rds
      .on(DescribeDBSnapshotsCommand)
      .resolvesOnce({ DBSnapshots: [fx.snapshot('opsbot-prod-x', 'creating', 60)] })
      .resolves({ DBSnapshots: [fx.snapshot('opsbot-prod-x', 'available', 100)] });
    const { ctx, notes } = jobContext();
    const reply = await backupJob.run(ctx, { env: 'prod', instance: fx.RDS_INSTANCE, snapshotId: 'opsbot-prod-x' });
    expect(rds).toHaveReceivedCommandWith(CreateDBSnapshotCommand, {
      DBInstanceIdentifier: fx.RDS_INSTANCE,
      DBSnapshotIdentifier: 'opsbot-prod-x',
    });
    expect(reply.text).toContain('is available (20 GiB)');
    expect(notes.find((n) => n.note === 'creating, 60%')?.percent).toBeGreaterThan(50);
  });

  it('stops following when the job is cancelled', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({});
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [fx.snapshot('opsbot-prod-y', 'creating', 5)] });
    const controller = new AbortController();
    const { ctx } = jobContext(controller.signal);
    const running = backupJob.run(ctx, { env: 'prod', instance: fx.RDS_INSTANCE, snapshotId: 'opsbot-prod-y' });
    running.catch(() => undefined);
    // Cancelled while it follows the snapshot, as a user's click would land.
    await waitUntil('the job to poll the snapshot', () => rds.commandCalls(DescribeDBSnapshotsCommand).length > 0);
    controller.abort('cancelled by U0BOB');
    await expect(running).rejects.toThrow('cancelled by U0BOB');
  });

  it("restores to a new instance in the live one's network and says where it is", async () => {
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: fx.RDS_INSTANCE }).resolves({
      DBInstances: [
        fx.dbInstance(fx.RDS_INSTANCE, 'available', { address: 'live.abc.us-east-1.rds.amazonaws.com', port: 5432 }),
      ],
    });
    const newId = 'expo-project-prod-db-restored-20261123-0912';
    rds
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: newId })
      .rejectsOnce(
        Object.assign(new Error(`DBInstance ${newId} not found.`), { name: 'DBInstanceNotFoundFault', $metadata: {} }),
      )
      .resolvesOnce({ DBInstances: [fx.dbInstance(newId, 'creating')] })
      .resolves({
        DBInstances: [
          fx.dbInstance(newId, 'available', { address: `${newId}.abc.us-east-1.rds.amazonaws.com`, port: 5432 }),
        ],
      });
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({ DBInstance: fx.dbInstance(newId, 'creating') });
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [fx.snapshot('opsbot-prod-x', 'available', 100)] });
    const { ctx } = jobContext();
    const reply = await restoreJob.run(ctx, { env: 'prod', live: fx.RDS_INSTANCE, snapshot: 'opsbot-prod-x', newId });
    expect(rds).toHaveReceivedCommandWith(RestoreDBInstanceFromDBSnapshotCommand, {
      DBInstanceIdentifier: newId,
      DBSnapshotIdentifier: 'opsbot-prod-x',
      DBSubnetGroupName: 'expo-project-db-subnets',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      DBInstanceClass: 'db.t3.medium',
    });
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain(`${newId}.abc.us-east-1.rds.amazonaws.com:5432`);
    expect(text).toContain('DATABASE_URL');
    expect(text).toContain('was not changed');
  });
});
