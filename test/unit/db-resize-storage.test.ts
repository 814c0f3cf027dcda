import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, type DBInstance } from '@aws-sdk/client-rds';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { dbResize, dbResizeJob } from '../../commands/db/resize.js';
import { dbStorage, dbStorageJob } from '../../commands/db/storage.js';
import { nextMaintenanceWindow } from '../../src/aws/rds-changes.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { isJobRequest } from '../../src/core/command.js';
import type { JobContext } from '../../src/core/job.js';
import { createLogger } from '../../src/log.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { NOW, awsContext } from '../support/aws-context.js';
import { fakeServices } from '../support/services.js';
import { described, freeStorage, instance } from '../fixtures/aws/rds-changes.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const CONFIG = `
environments:
  prod:
    region: us-east-1
    rds: { instance: expo-project-prod-db }
    actions: { pollInterval: 10ms, restoreTimeout: 5s, snapshotTimeout: 5s }
  bare:
    region: us-east-1
`;
const ctx = (command: Parameters<typeof awsContext>[0], env = 'prod') =>
  awsContext(command, env, { configYaml: CONFIG });

function jobContext(progress: string[] = []): JobContext {
  return {
    jobId: '1',
    config: parseConfig(CONFIG, {}).config,
    log: createLogger('silent'),
    services: fakeServices({ aws: new AwsClientFactory(), clock: () => NOW }),
    signal: new AbortController().signal,
    progress: async (_p, note) => void (note && progress.push(note)),
  };
}

/** DescribeDBInstances answers each state in turn, then the last one for ever. */
function states(...list: Partial<DBInstance>[]) {
  let i = 0;
  aws.rds.on(DescribeDBInstancesCommand).callsFake(() => described(list[Math.min(i++, list.length - 1)]));
}

describe('the next maintenance window', () => {
  // NOW is Monday 2026-11-23 09:00 UTC.
  it('is the next occurrence in UTC, the current one while it runs, and wraps across the week', () => {
    expect(nextMaintenanceWindow('sun:05:00-sun:05:30', NOW)).toEqual({
      start: new Date('2026-11-29T05:00:00Z'),
      end: new Date('2026-11-29T05:30:00Z'),
      inProgress: false,
    });
    expect(nextMaintenanceWindow('mon:08:45-mon:09:15', NOW)?.inProgress).toBe(true);
    expect(nextMaintenanceWindow('mon:08:00-mon:08:30', NOW)?.start).toEqual(new Date('2026-11-30T08:00:00Z'));
    expect(nextMaintenanceWindow('sat:23:30-sun:00:15', NOW)?.end).toEqual(new Date('2026-11-29T00:15:00Z'));
    expect(nextMaintenanceWindow('someday', NOW)).toBeUndefined();
  });
});

describe('/ops db resize', () => {
  it('checks the class format before asking AWS', async () => {
    await expect(dbResize.plan(ctx(dbResize), { class: 'db.t3.smal', now: false })).rejects.toThrow(
      '`db.t3.smal` is not an RDS instance class.',
    );
    await expect(dbResize.plan(ctx(dbResize), { class: 't3.small', now: false })).rejects.toThrow(
      'not an RDS instance class',
    );
    expect(aws.rds).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
    await expect(dbResize.plan(ctx(dbResize, 'bare'), { class: 'db.t3.small', now: false })).rejects.toThrow(
      'has no RDS instance configured',
    );
  });

  it('plans for the next maintenance window and says when it is; --now warns about the reboot', async () => {
    aws.rds.on(DescribeDBInstancesCommand).resolves(described());
    const queued = await dbResize.plan(ctx(dbResize), { class: 'db.t3.small', now: false });
    expect(dbResize.risk).toBe('dangerous');
    expect(queued.effects[0]).toContain('db.t3.micro → *db.t3.small*, queued for the next maintenance window');
    expect(queued.effects[0]).toContain('Sun 2026-11-29 05:00–05:30 UTC (in 6 days)');
    expect(queued.preconditions).toEqual([
      { what: 'expo-project-prod-db is of class', expected: 'db.t3.micro' },
      { what: 'expo-project-prod-db is', expected: 'available' },
    ]);
    const now = await dbResize.plan(ctx(dbResize), { class: 'db.t3.small', now: true });
    expect(now.effects[0]).toContain('*applied now*. :warning: RDS restarts the instance');
    const result = await dbResize.execute(ctx(dbResize), now);
    if (!isJobRequest(result)) throw new Error('expected a job');
    expect(result.job).toMatchObject({
      name: 'db.resize',
      data: { to: 'db.t3.small', now: true, from: 'db.t3.micro' },
    });
  });

  it('refuses the class it already has and an instance that is not available', async () => {
    states({ DBInstanceClass: 'db.t3.small' }, { DBInstanceStatus: 'modifying' });
    await expect(dbResize.plan(ctx(dbResize), { class: 'db.t3.small', now: false })).rejects.toThrow(
      'already is db.t3.small',
    );
    await expect(dbResize.plan(ctx(dbResize), { class: 'db.t3.small', now: false })).rejects.toThrow(
      'is modifying; RDS changes the class only of an available instance',
    );
  });

  it('--now: ModifyDBInstance with ApplyImmediately, followed until available as the new class', async () => {
    states(
      {},
      {},
      { DBInstanceStatus: 'modifying' },
      { DBInstanceStatus: 'modifying' },
      { DBInstanceStatus: 'available', DBInstanceClass: 'db.t3.small' },
    );
    aws.rds.on(ModifyDBInstanceCommand).resolves({ DBInstance: instance({ DBInstanceStatus: 'modifying' }) });
    const notes: string[] = [];
    const plan = await dbResize.plan(ctx(dbResize), { class: 'db.t3.small', now: true });
    const reply = await dbResizeJob.run(jobContext(notes), plan.data);
    expect(aws.rds).toHaveReceivedCommandWith(ModifyDBInstanceCommand, {
      DBInstanceIdentifier: 'expo-project-prod-db',
      DBInstanceClass: 'db.t3.small',
      ApplyImmediately: true,
    });
    expect(notes).toContain('modifying, db.t3.micro, 20 GiB');
    expect(reply.text).toBe('expo-project-prod-db is now db.t3.small (was db.t3.micro) and available');
  });

  it('queued: done once RDS lists the class as pending, saying when it will apply', async () => {
    states({}, {}, { PendingModifiedValues: { DBInstanceClass: 'db.t3.small' } });
    aws.rds.on(ModifyDBInstanceCommand).resolves({ DBInstance: instance() });
    const plan = await dbResize.plan(ctx(dbResize), { class: 'db.t3.small', now: false });
    const reply = await dbResizeJob.run(jobContext(), plan.data);
    expect(aws.rds).toHaveReceivedCommandWith(ModifyDBInstanceCommand, { ApplyImmediately: false });
    expect(reply.text).toBe(
      'expo-project-prod-db: db.t3.micro → db.t3.small is queued for Sun 2026-11-29 05:00–05:30 UTC (in 6 days)',
    );
  });

  it('changes nothing when the class moved since the plan, and explains InvalidParameterCombination', async () => {
    states({}, { DBInstanceClass: 'db.t3.medium' });
    const plan = await dbResize.plan(ctx(dbResize), { class: 'db.t3.small', now: true });
    await expect(dbResizeJob.run(jobContext(), plan.data)).rejects.toMatchObject({
      planChanged: true,
      message: expect.stringContaining('is now db.t3.medium, not db.t3.micro as when the resize was approved'),
    });
    expect(aws.rds).not.toHaveReceivedCommand(ModifyDBInstanceCommand);

    aws.reset();
    aws.rds.on(DescribeDBInstancesCommand).resolves(described());
    aws.rds
      .on(ModifyDBInstanceCommand)
      .rejects(
        awsError(
          'InvalidParameterCombination',
          'RDS does not support creating a DB instance with the following combination: DBInstanceClass=db.m1.small, Engine=postgres, EngineVersion=16.4, LicenseModel=postgresql-license.',
        ),
      );
    const job = dbResizeJob.run(jobContext(), { ...plan.data, to: 'db.m1.small' });
    await expect(job).rejects.toThrow('RDS refused the change to db.m1.small for `expo-project-prod-db`');
    await expect(job).rejects.toMatchObject({
      hint: expect.stringContaining('describe-orderable-db-instance-options'),
    });
  });
});

describe('/ops db storage', () => {
  it('refuses to shrink with the reason, and the rules RDS enforces', async () => {
    expect(dbStorage.args.parse({ gb: '40GB', max: '100 GiB' })).toEqual({ gb: 40, max: 100 });
    expect(dbStorage.args.safeParse({ gb: '40.5' }).success).toBe(false);
    aws.rds.on(DescribeDBInstancesCommand).resolves(described({ AllocatedStorage: 40 }));
    await expect(dbStorage.plan(ctx(dbStorage), { gb: 20 })).rejects.toThrow(
      'has 40 GiB; RDS cannot shrink storage, so 20 GiB is refused.',
    );
    await expect(dbStorage.plan(ctx(dbStorage), { gb: 42 })).rejects.toThrow('RDS grows storage by at least 10%');
    await expect(dbStorage.plan(ctx(dbStorage), { gb: 50, max: 52 })).rejects.toThrow(
      '--max must be at least 10% above the storage: at least 55 GiB',
    );
    await expect(dbStorage.plan(ctx(dbStorage), { gb: 40 })).rejects.toThrow('already has 40 GiB; nothing to change');
  });

  it('grows to 40 GB with autoscaling (the guides), showing free storage before and after', async () => {
    const GiB = 1024 ** 3;
    states(
      {},
      {},
      { DBInstanceStatus: 'modifying', AllocatedStorage: 20 },
      { DBInstanceStatus: 'storage-optimization', AllocatedStorage: 40, MaxAllocatedStorage: 100 },
    );
    aws.rds.on(ModifyDBInstanceCommand).resolves({ DBInstance: instance({ DBInstanceStatus: 'modifying' }) });
    aws.cw
      .on(GetMetricDataCommand)
      .resolvesOnce(freeStorage(2.5 * GiB, NOW))
      .resolves(freeStorage(22.4 * GiB, NOW));
    const plan = await dbStorage.plan(ctx(dbStorage), { gb: 40, max: 100 });
    expect(plan.effects[0]).toContain(
      'AllocatedStorage 20 → *40 GiB*; autoscaling up to *100 GiB* (MaxAllocatedStorage, was off)',
    );
    expect(plan.effects[0]).toContain('Free now: 2.5 GiB');
    const reply = await dbStorageJob.run(jobContext(), plan.data);
    expect(aws.rds).toHaveReceivedCommandWith(ModifyDBInstanceCommand, {
      AllocatedStorage: 40,
      MaxAllocatedStorage: 100,
      ApplyImmediately: true,
    });
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain('free storage 2.5 GiB before → 22.5 GiB expected; CloudWatch now says 22.4 GiB');
    expect(text).toContain('status `storage-optimization`');
  });

  it('explains StorageQuotaExceeded', async () => {
    aws.rds.on(DescribeDBInstancesCommand).resolves(described());
    aws.rds
      .on(ModifyDBInstanceCommand)
      .rejects(awsError('StorageQuotaExceededFault', 'The request would exceed the storage quota for the account.'));
    const job = dbStorageJob.run(jobContext(), {
      env: 'prod',
      instance: 'expo-project-prod-db',
      fromGb: 20,
      status: 'available',
      toGb: 40,
    });
    await expect(job).rejects.toThrow("the account's total RDS storage quota would be exceeded");
    await expect(job).rejects.toMatchObject({ hint: expect.stringContaining('Service Quotas') });
  });
});
