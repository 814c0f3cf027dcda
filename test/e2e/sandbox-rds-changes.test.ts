// The demo's simulated RDS changes (src/sandbox/aws/rds-changes.ts), driven by the real SDK v3 client, then
// /ops db params and an approved /ops db resize --now through the Slack harness against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  ModifyDBInstanceCommand,
  ModifyDBParameterGroupCommand,
  RDSClient,
  RebootDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { startAwsSimulator, type AwsSimulator } from '../../src/sandbox/aws/server.js';
import { DEMO_NAMES as N } from '../../src/sandbox/aws/fleet.js';
import { TestApp, replyText } from '../support/test-app.js';
import { useSdkEnv } from '../support/sdk-env.js';
import { waitUntil } from '../support/wait.js';

const PATIENTLY = { timeoutMs: 20_000, intervalMs: 100 };
let sim: AwsSimulator;
let rds: RDSClient;
const db = async () =>
  (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: N.dbInstance }))).DBInstances![0];

beforeAll(async () => {
  sim = await startAwsSimulator({ timeScale: 0.1 });
  rds = new RDSClient({
    endpoint: sim.url,
    region: N.region,
    credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  rds?.destroy();
  await sim?.close();
});

describe('simulated RDS changes, through the real SDK client', () => {
  it('ModifyDBInstance: queued for the window, or now (modifying → available as the new class)', async () => {
    expect(await db()).toMatchObject({
      DBInstanceClass: 'db.t3.medium',
      MaxAllocatedStorage: 200,
      DBParameterGroups: [{ DBParameterGroupName: `${N.dbInstance}-pg16`, ParameterApplyStatus: 'in-sync' }],
    });
    await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: N.dbInstance, DBInstanceClass: 'db.t3.large' }));
    expect(await db()).toMatchObject({
      DBInstanceStatus: 'available',
      DBInstanceClass: 'db.t3.medium',
      PendingModifiedValues: { DBInstanceClass: 'db.t3.large' },
    });
    await expect(
      rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: N.dbInstance, DBInstanceClass: 'db.q9.huge' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: N.dbInstance,
        DBInstanceClass: 'db.t3.large',
        ApplyImmediately: true,
      }),
    );
    expect((await db()).DBInstanceStatus).toBe('modifying');
    const after = await waitUntil(
      'the new class',
      async () => {
        const d = await db();
        return d.DBInstanceStatus === 'available' && d.DBInstanceClass === 'db.t3.large' && d;
      },
      PATIENTLY,
    );
    expect(after.PendingModifiedValues?.DBInstanceClass).toBeUndefined();
  });

  it('ModifyDBInstance storage: refuses shrinking, grows through storage-optimization, sets autoscaling', async () => {
    await expect(
      rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: N.dbInstance,
          AllocatedStorage: 50,
          ApplyImmediately: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: N.dbInstance,
        AllocatedStorage: 120,
        MaxAllocatedStorage: 300,
        ApplyImmediately: true,
      }),
    );
    expect(await db()).toMatchObject({ DBInstanceStatus: 'modifying', MaxAllocatedStorage: 300 });
    await waitUntil(
      'storage-optimization',
      async () => (await db()).DBInstanceStatus === 'storage-optimization',
      PATIENTLY,
    );
    expect((await db()).AllocatedStorage).toBe(120);
    await expect(
      rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: N.dbInstance,
          AllocatedStorage: 200,
          ApplyImmediately: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
    await waitUntil('available again', async () => (await db()).DBInstanceStatus === 'available', PATIENTLY);
  });

  it('DescribeDBParameters pages; ModifyDBParameterGroup refuses a default group and immediate for static', async () => {
    const group = `${N.dbInstance}-pg16`;
    const first = await rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: group, MaxRecords: 20 }));
    expect(first.Parameters).toHaveLength(20);
    const second = await rds.send(
      new DescribeDBParametersCommand({ DBParameterGroupName: group, MaxRecords: 20, Marker: first.Marker }),
    );
    expect(second.Marker).toBeUndefined();
    const names = [...first.Parameters!, ...second.Parameters!].map((x) => x.ParameterName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('work_mem');
    await expect(
      rds.send(
        new ModifyDBParameterGroupCommand({
          DBParameterGroupName: 'default.postgres16',
          Parameters: [{ ParameterName: 'work_mem', ParameterValue: '8192', ApplyMethod: 'immediate' }],
        }),
      ),
    ).rejects.toThrow('default parameter group');
    await expect(
      rds.send(
        new ModifyDBParameterGroupCommand({
          DBParameterGroupName: group,
          Parameters: [{ ParameterName: 'max_connections', ParameterValue: '200', ApplyMethod: 'immediate' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    await rds.send(
      new ModifyDBParameterGroupCommand({
        DBParameterGroupName: group,
        Parameters: [{ ParameterName: 'max_connections', ParameterValue: '200', ApplyMethod: 'pending-reboot' }],
      }),
    );
    const params = (await rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: group }))).Parameters ?? [];
    expect(params.find((x) => x.ParameterName === 'max_connections')).toMatchObject({
      ParameterValue: '200',
      Source: 'user',
    });
    await waitUntil(
      'pending-reboot',
      async () => (await db()).DBParameterGroups?.[0]?.ParameterApplyStatus === 'pending-reboot',
      PATIENTLY,
    );
    await rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: N.dbInstance }));
    await waitUntil(
      'in-sync after the reboot',
      async () => (await db()).DBParameterGroups?.[0]?.ParameterApplyStatus === 'in-sync',
      PATIENTLY,
    );
  });
});

describe('/ops db params and an approved db resize against the simulated AWS', () => {
  let app: TestApp;
  let own: AwsSimulator;
  let restoreEnv = () => {};
  beforeAll(async () => {
    own = await startAwsSimulator({ timeScale: 0.1 });
    restoreEnv = useSdkEnv(own.sdkEnv());
    app = await TestApp.start({
      progressIntervalMs: 20,
      configYaml: `
environments:
  prod:
    region: us-east-1
    rds: { instance: ${N.dbInstance} }
    actions: { pollInterval: 100ms, restoreTimeout: 20s }
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await own?.close();
    restoreEnv();
  });

  it('lists parameters, and resizes once someone else approves', async () => {
    expect(replyText(await app.ask('db params prod log_min', { timeoutMs: 15_000 }))).toContain(
      'log_min_duration_statement',
    );
    await app.ask('db resize prod db.t3.large --now', { userId: 'U0ALICE', channelId: 'C0SIMRESIZE' });
    const [card] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'C0SIMRESIZE' &&
        JSON.stringify(c.args).includes('approval.approve'),
    );
    const id = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.args))![1];
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: 'C0SIMRESIZE' });
    await app.fake.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.args.channel === 'C0SIMRESIZE' &&
        JSON.stringify(c.args).includes('is now db.t3.large'),
      { timeoutMs: 20_000 },
    );
    expect(own.calls.filter((c) => c.error)).toEqual([]);
  });
});
