// The simulated AWS behind `npm run demo`, driven by the real SDK v3 clients
// (so their serialisation is exercised, not only aws-sdk-client-mock stubs). CloudWatch and Logs:
// sandbox-aws-cloudwatch.test.ts; /ops commands through the Slack harness: sandbox-aws-commands.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  RebuildEnvironmentCommand,
  RestartAppServerCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import {
  CreateDBSnapshotCommand,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { simulatedOperations, startAwsSimulator, type AwsSimulator } from '../../src/sandbox/aws/server.js';
import { DEMO_NAMES as N } from '../../src/sandbox/aws/fleet.js';
import { waitUntil } from '../support/wait.js';
import { awsSdkUses } from '../support/aws-sdk-uses.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLIENT_SERVICE: Record<string, string> = {
  'client-ecs': 'ecs',
  'client-elastic-beanstalk': 'elasticbeanstalk',
  'client-rds': 'rds',
  'client-cloudwatch': 'cloudwatch',
  'client-cloudwatch-logs': 'logs',
  'client-auto-scaling': 'autoscaling',
  'client-cloudfront': 'cloudfront',
  'client-cost-explorer': 'ce',
  'client-application-auto-scaling': 'application-autoscaling',
};

/** Every `new XxxCommand(` in the bot (outside the sandbox), as service:Operation from its file's imports. */
function operationsTheBotUses(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'sandbox') walk(path);
      } else if (name.endsWith('.ts')) files.push(path);
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'commands'));
  const ops = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const imports = new Map<string, string>();
    for (const { pkg, names } of awsSdkUses(text)) for (const name of names) imports.set(name, CLIENT_SERVICE[pkg]);
    for (const m of text.matchAll(/new (?:\w+\.)?([A-Z][A-Za-z]+)Command\(/g)) {
      const service = imports.get(`${m[1]}Command`);
      if (service) ops.add(`${service}:${m[1]}`);
    }
  }
  return [...ops].sort();
}

/** The simulator's rollouts, scaling and snapshots take a while: wait up to 20 s. */
const PATIENTLY = { timeoutMs: 20_000, intervalMs: 100 };

let sim: AwsSimulator;
const clients = () => {
  const o = {
    endpoint: sim.url,
    region: N.region,
    credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  return {
    eb: new ElasticBeanstalkClient(o),
    ecs: new ECSClient(o),
    rds: new RDSClient(o),
    asg: new AutoScalingClient(o),
  };
};
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  // Actions run at a tenth of their demo duration.
  sim = await startAwsSimulator({ timeScale: 0.1 });
  c = clients();
});
afterAll(async () => {
  for (const client of Object.values(c ?? {})) client.destroy();
  await sim?.close();
});

describe('simulated AWS, through the real SDK clients', () => {
  it('simulates every AWS operation the bot calls', () => {
    const used = operationsTheBotUses();
    expect(used.length).toBeGreaterThan(10);
    const missing = used.filter((op) => !simulatedOperations().includes(op));
    expect(missing, `add these to src/sandbox/aws/: ${missing.join(', ')}`).toEqual([]);
  });

  it('Elastic Beanstalk: describe, health, resources, versions, then a rollback that takes a while', async () => {
    const env = (
      await c.eb.send(
        new DescribeEnvironmentsCommand({ ApplicationName: N.application, EnvironmentNames: [N.environment] }),
      )
    ).Environments?.[0];
    expect(env).toMatchObject({
      EnvironmentName: N.environment,
      Status: 'Ready',
      Health: 'Green',
      VersionLabel: 'v1.43.0',
    });
    expect(env?.DateUpdated).toBeInstanceOf(Date);
    const health = await c.eb.send(
      new DescribeEnvironmentHealthCommand({ EnvironmentName: N.environment, AttributeNames: ['All'] }),
    );
    expect(health.InstancesHealth?.Ok).toBe(2);
    expect(health.ApplicationMetrics?.Latency?.P99).toBeGreaterThan(0);
    const res = await c.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: N.environment }));
    expect(res.EnvironmentResources?.AutoScalingGroups?.[0]?.Name).toMatch(/^awseb-/);
    expect(res.EnvironmentResources?.LoadBalancers?.[0]?.Name).toContain(':loadbalancer/app/');
    const versions =
      (await c.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: N.application, MaxRecords: 10 })))
        .ApplicationVersions ?? [];
    expect(versions.map((v) => v.VersionLabel)).toEqual(['v1.43.0', 'v1.42.1', 'v1.42.0', 'v1.41.0']);

    await expect(
      c.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: N.environment, VersionLabel: 'v9.9.9' })),
    ).rejects.toThrow(/No Application Version named 'v9.9.9'/);
    const since = new Date(Date.now() - 1000);
    const updating = await c.eb.send(
      new UpdateEnvironmentCommand({ EnvironmentName: N.environment, VersionLabel: 'v1.42.1' }),
    );
    expect(updating.Status).toBe('Updating');
    await expect(c.eb.send(new RestartAppServerCommand({ EnvironmentName: N.environment }))).rejects.toThrow(
      /invalid state/,
    );
    const done = await waitUntil(
      'the rollback',
      async () => {
        const o = await c.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [N.environment] }));
        return o.Environments?.[0]?.Status === 'Ready' ? o : undefined;
      },
      PATIENTLY,
    );
    expect(done.Environments?.[0]).toMatchObject({ VersionLabel: 'v1.42.1', Health: 'Green' });
    const events =
      (
        await c.eb.send(
          new DescribeEventsCommand({
            ApplicationName: N.application,
            EnvironmentName: N.environment,
            StartTime: since,
          }),
        )
      ).Events ?? [];
    expect(events.map((e) => e.Message)).toContain('Environment update completed successfully.');
    expect(events[0].EventDate).toBeInstanceOf(Date);

    await c.eb.send(new RestartAppServerCommand({ EnvironmentName: N.environment }));
    await waitUntil(
      'the restart',
      async () => {
        const o = await c.eb.send(new DescribeEventsCommand({ EnvironmentName: N.environment, MaxRecords: 1 }));
        return o.Events?.[0]?.Message === 'restartAppServer completed successfully.' ? o : undefined;
      },
      PATIENTLY,
    );
  });

  it('Auto Scaling: the Beanstalk group scales one instance at a time', async () => {
    const group = (await c.asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups?.[0];
    expect(group).toMatchObject({ MinSize: 2, MaxSize: 6, DesiredCapacity: 2 });
    await expect(
      c.asg.send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: group!.AutoScalingGroupName, DesiredCapacity: 9 }),
      ),
    ).rejects.toThrow(/above max/);
    await c.asg.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group!.AutoScalingGroupName, MinSize: 3 }),
    );
    const grown = await waitUntil(
      '3 instances',
      async () => {
        const o = await c.asg.send(
          new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group!.AutoScalingGroupName!] }),
        );
        return o.AutoScalingGroups?.[0]?.Instances?.length === 3 ? o : undefined;
      },
      PATIENTLY,
    );
    expect(grown.AutoScalingGroups?.[0]?.Instances?.[2]?.LifecycleState).toBe('InService');
  });

  it('ECS: services, stopped tasks, revisions, then a rolling deployment and a scale', async () => {
    const out = await c.ecs.send(new DescribeServicesCommand({ cluster: N.cluster, services: [N.service, 'nope'] }));
    expect(out.services?.[0]).toMatchObject({ serviceName: N.service, desiredCount: 2, runningCount: 2 });
    expect(out.services?.[0]?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED' });
    expect(out.failures?.[0]).toMatchObject({ reason: 'MISSING' });
    const stopped = await c.ecs.send(
      new ListTasksCommand({ cluster: N.cluster, serviceName: N.service, desiredStatus: 'STOPPED', maxResults: 3 }),
    );
    const tasks = await c.ecs.send(new DescribeTasksCommand({ cluster: N.cluster, tasks: stopped.taskArns }));
    expect(tasks.tasks?.[0]?.containers?.[0]).toMatchObject({
      exitCode: 137,
      reason: expect.stringContaining('OutOfMemory'),
    });
    const revisions =
      (
        await c.ecs.send(
          new ListTaskDefinitionsCommand({ familyPrefix: 'expertconnect-backend', sort: 'DESC', status: 'ACTIVE' }),
        )
      ).taskDefinitionArns ?? [];
    expect(revisions[0]).toMatch(/task-definition\/expertconnect-backend:41$/);
    const td = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: revisions[1] }));
    expect(td.taskDefinition).toMatchObject({
      revision: 40,
      containerDefinitions: [expect.objectContaining({ image: expect.stringContaining(':2.10.0') })],
    });
    expect(td.taskDefinition?.registeredAt).toBeInstanceOf(Date);

    const rolling = await c.ecs.send(
      new UpdateServiceCommand({ cluster: N.cluster, service: N.service, taskDefinition: 'expertconnect-backend:40' }),
    );
    expect(rolling.service?.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    expect(rolling.service?.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    const settled = await waitUntil(
      'the deployment',
      async () => {
        const o = await c.ecs.send(new DescribeServicesCommand({ cluster: N.cluster, services: [N.service] }));
        return o.services?.[0]?.deployments?.length === 1 && o.services[0].deployments[0].rolloutState === 'COMPLETED'
          ? o
          : undefined;
      },
      PATIENTLY,
    );
    expect(settled.services?.[0]).toMatchObject({ taskDefinition: expect.stringMatching(/:40$/), runningCount: 2 });

    await c.ecs.send(new UpdateServiceCommand({ cluster: N.cluster, service: N.service, desiredCount: 3 }));
    await waitUntil(
      '3 running tasks',
      async () => {
        const o = await c.ecs.send(new DescribeServicesCommand({ cluster: N.cluster, services: [N.service] }));
        return o.services?.[0]?.runningCount === 3 && o.services[0].deployments?.[0]?.rolloutState === 'COMPLETED'
          ? o
          : undefined;
      },
      PATIENTLY,
    );
    await expect(
      c.ecs.send(new UpdateServiceCommand({ cluster: 'other', service: N.service, desiredCount: 1 })),
    ).rejects.toThrow(/Cluster not found/);
  });

  it('RDS: instance, snapshots, a snapshot that progresses, a restore into a new instance', async () => {
    const db = (await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: N.dbInstance })))
      .DBInstances?.[0];
    expect(db).toMatchObject({
      DBInstanceStatus: 'available',
      DBInstanceClass: 'db.t3.medium',
      Engine: 'postgres',
      AllocatedStorage: 100,
      MultiAZ: true,
    });
    expect(db?.VpcSecurityGroups?.[0]?.VpcSecurityGroupId).toBe('sg-0a1b2c3d');
    await expect(c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' }))).rejects.toBeInstanceOf(
      DBInstanceNotFoundFault,
    );
    const snaps =
      (await c.rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: N.dbInstance }))).DBSnapshots ?? [];
    expect(snaps.length).toBe(8);
    expect(snaps.filter((s) => s.SnapshotType === 'automated').length).toBe(7);
    expect(snaps[0].SnapshotCreateTime).toBeInstanceOf(Date);

    const created = await c.rds.send(
      new CreateDBSnapshotCommand({ DBInstanceIdentifier: N.dbInstance, DBSnapshotIdentifier: 'opsbot-test-1' }),
    );
    expect(created.DBSnapshot).toMatchObject({ Status: 'creating', PercentProgress: 0 });
    await expect(
      c.rds.send(
        new CreateDBSnapshotCommand({ DBInstanceIdentifier: N.dbInstance, DBSnapshotIdentifier: 'opsbot-test-1' }),
      ),
    ).rejects.toBeInstanceOf(DBSnapshotAlreadyExistsFault);
    const seen = new Set<number>();
    await waitUntil(
      'the snapshot',
      async () => {
        const s = await (async () => {
          const s = (await c.rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'opsbot-test-1' })))
            .DBSnapshots?.[0];
          seen.add(s?.PercentProgress ?? -1);
          return s;
        })();
        return s?.Status === 'available' ? s : undefined;
      },
      PATIENTLY,
    );
    expect(seen.size).toBeGreaterThan(2); // progress moved in steps

    const restored = await c.rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: 'restore-test',
        DBSnapshotIdentifier: 'opsbot-test-1',
      }),
    );
    expect(restored.DBInstance?.DBInstanceStatus).toBe('creating');
    await waitUntil(
      'the restore',
      async () => {
        const o = await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'restore-test' }));
        return o.DBInstances?.[0]?.DBInstanceStatus === 'available' ? o : undefined;
      },
      PATIENTLY,
    );
    await c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'restore-test', SkipFinalSnapshot: true }));
    await expect(
      c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: N.dbInstance, SkipFinalSnapshot: true })),
    ).rejects.toThrow(/protected/);
  });

  it('Elastic Beanstalk: RebuildEnvironment is Updating/Grey for a while, then Ready/Green', async () => {
    await waitUntil(
      'a Ready environment',
      async () => {
        const o = await c.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [N.environment] }));
        return o.Environments?.[0]?.Status === 'Ready' ? o : undefined;
      },
      PATIENTLY,
    );
    await c.eb.send(new RebuildEnvironmentCommand({ EnvironmentName: N.environment }));
    const env = (await c.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [N.environment] })))
      .Environments?.[0];
    expect(env).toMatchObject({ Status: 'Updating', Health: 'Grey' });
    await waitUntil(
      'the rebuild',
      async () => {
        const o = await c.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [N.environment] }));
        return o.Environments?.[0]?.Status === 'Ready' ? o : undefined;
      },
      PATIENTLY,
    );
    const events = (await c.eb.send(new DescribeEventsCommand({ EnvironmentName: N.environment, MaxRecords: 1 })))
      .Events;
    expect(events?.[0]?.Message).toBe('rebuildEnvironment completed successfully.');
  });
});
