import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  RestartAppServerCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import {
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { createLogger } from '../../src/log.js';
import type { CommandContext } from '../../src/core/context.js';
import type { JobContext } from '../../src/core/job.js';
import { isJobRequest, isPlanned, type CommandDefinition, type CommandResult } from '../../src/core/command.js';
import { isPlanChanged } from '../../src/errors.js';
import { rollback, rollbackJob } from '../../commands/rollback.js';
import { restart, restartJob } from '../../commands/restart.js';
import { scale, scaleJob } from '../../commands/scale.js';
import { restore, restoreJob } from '../../commands/restore.js';
import { awsContext } from '../support/aws-context.js';
import * as fx from '../fixtures/aws-actions/responses.js';

const eb = mockClient(ElasticBeanstalkClient);
const ecs = mockClient(ECSClient);
const rds = mockClient(RDSClient);

const ECS_CONFIG = `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: ${fx.EB_APP}, environment: ${fx.EB_ENV} }
    rds: { instance: ${fx.RDS_INSTANCE} }
    actions: { pollInterval: 20ms, rolloutTimeout: 5s, restoreTimeout: 5s, healthGrace: 100ms }
  api:
    region: us-east-1
    ecs: { cluster: ${fx.CLUSTER}, services: [${fx.SERVICE}] }
    actions: { pollInterval: 20ms, rolloutTimeout: 5s }
`;

function jobContextFor(ctx: CommandContext): JobContext {
  return {
    jobId: 'j1',
    config: ctx.config,
    log: createLogger('silent'),
    services: ctx.services,
    signal: new AbortController().signal,
    progress: async () => undefined,
  };
}

/** The job data an approved plan hands the worker: exactly the plan's data. */
function jobData(result: CommandResult): Record<string, unknown> {
  if (!isJobRequest(result)) throw new Error('expected a job');
  return result.job.data;
}

async function planned(command: CommandDefinition, env: string, args: Record<string, unknown>) {
  if (!isPlanned(command)) throw new Error(`${command.name} is not planned`);
  const ctx = awsContext(command, env, { configYaml: ECS_CONFIG });
  const plan = await command.plan(ctx, args);
  const data = jobData(await command.execute(ctx, plan));
  return { ctx, plan, data, job: jobContextFor(ctx) };
}

async function refusal(p: Promise<unknown>): Promise<Error & { hint?: string }> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as Error & { hint?: string };
  expect(err, 'the job should refuse').toBeInstanceOf(Error);
  expect(isPlanChanged(err)).toBe(true);
  return err;
}

beforeEach(() => {
  for (const m of [eb, ecs, rds]) m.reset();
  eb.on(DescribeApplicationVersionsCommand).resolves(fx.ebVersions);
  eb.on(DescribeEventsCommand).resolves({ Events: [] });
});

describe('rollback on Elastic Beanstalk, approved v42 → v41', () => {
  it('changes nothing when someone deployed v43 in between, and says so', async () => {
    eb.on(DescribeEnvironmentsCommand).resolves(fx.ebEnvironment('Ready', 'Green', 'app-v42'));
    const { plan, data, job } = await planned(rollback, 'prod', {});
    expect(plan.data).toMatchObject({ from: 'app-v42', to: 'app-v41' });
    expect(plan.preconditions).toEqual([{ what: `${fx.EB_ENV} runs`, expected: 'app-v42' }]);

    eb.on(DescribeEnvironmentsCommand).resolves(fx.ebEnvironment('Ready', 'Green', 'app-v43'));
    const err = await refusal(rollbackJob.run(job, data as never));
    expect(err.message).toBe(
      'prod now runs `app-v43`, not `app-v42` as when the rollback was approved; nothing was deployed.',
    );
    expect(err.hint).toContain('/ops rollback prod');
    expect(eb).not.toHaveReceivedCommand(UpdateEnvironmentCommand);
  });

  it('deploys exactly the frozen version when nothing changed', async () => {
    eb.on(DescribeEnvironmentsCommand)
      .resolvesOnce(fx.ebEnvironment('Ready', 'Green', 'app-v42'))
      .resolvesOnce(fx.ebEnvironment('Ready', 'Green', 'app-v42'))
      .resolves(fx.ebEnvironment('Ready', 'Green', 'app-v41', 'Ok'));
    eb.on(UpdateEnvironmentCommand).resolves({ Status: 'Updating' });
    const { data, job } = await planned(rollback, 'prod', {});
    await rollbackJob.run(job, data as never);
    expect(eb).toHaveReceivedCommandTimes(UpdateEnvironmentCommand, 1);
    expect(eb).toHaveReceivedCommandWith(UpdateEnvironmentCommand, {
      EnvironmentName: fx.EB_ENV,
      VersionLabel: 'app-v41',
    });
  });
});

describe('rollback on ECS, approved :42 → :41', () => {
  it('changes nothing when revision 43 was deployed in between', async () => {
    ecs.on(DescribeServicesCommand).resolves(fx.ecsService(42, []));
    ecs.on(ListTaskDefinitionsCommand).resolves(fx.ecsRevisions);
    const { plan, data, job } = await planned(rollback, 'api', {});
    expect(plan.data).toMatchObject({ from: 'expertconnect-backend:42', to: 'expertconnect-backend:41' });

    ecs.on(DescribeServicesCommand).resolves(fx.ecsService(43, []));
    const err = await refusal(rollbackJob.run(job, data as never));
    expect(err.message).toBe(
      'api now runs `expertconnect-backend:43`, not `expertconnect-backend:42` as when the rollback was approved; nothing was deployed.',
    );
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  });
});

describe('restart, approved while v42 ran', () => {
  it('restarts nothing after a deploy in between', async () => {
    eb.on(DescribeEnvironmentsCommand).resolves(fx.ebEnvironment('Ready', 'Green', 'app-v42'));
    const { data, job } = await planned(restart, 'prod', {});
    eb.on(DescribeEnvironmentsCommand).resolves(fx.ebEnvironment('Ready', 'Green', 'app-v43'));
    const err = await refusal(restartJob.run(job, data as never));
    expect(err.message).toContain('not `app-v42` as when the restart was approved; nothing was restarted');
    expect(eb).not.toHaveReceivedCommand(RestartAppServerCommand);
  });
});

describe('scale down, approved 2 → 1', () => {
  it('needs approval, and scales nothing after someone else changed the count to 3', async () => {
    ecs.on(DescribeServicesCommand).resolves(fx.ecsService(42, [], 2, 2));
    const { plan, data, job } = await planned(scale, 'api', { first: '1' });
    expect(scale.needsApproval!(plan as never)).toBe(true);
    ecs.on(DescribeServicesCommand).resolves(fx.ecsService(42, [], 3, 3));
    const err = await refusal(scaleJob.run(job, data as never));
    expect(err.message).toBe(
      `ECS service \`${fx.SERVICE}\` now has a desired count of 3, not 2 as when scaling to 1 was asked for; nothing was scaled.`,
    );
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('sets exactly the frozen count when the count is unchanged', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce(fx.ecsService(42, [], 2, 2))
      .resolvesOnce(fx.ecsService(42, [], 2, 2))
      .resolves(fx.ecsService(42, [], 1, 1));
    ecs.on(UpdateServiceCommand).resolves(fx.ecsUpdateResponse(42, 'ecs-svc/1111', 1));
    const { data, job } = await planned(scale, 'api', { first: '1' });
    await scaleJob.run(job, data as never);
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: fx.CLUSTER,
      service: fx.SERVICE,
      desiredCount: 1,
    });
  });
});

describe('restore, approved for an available snapshot', () => {
  it('restores nothing when the snapshot was deleted after the approval', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [fx.snapshot('opsbot-prod-x', 'available', 100)] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [fx.dbInstance(fx.RDS_INSTANCE, 'available')] });
    const { plan, data, job } = await planned(restore, 'prod', { snapshot: 'opsbot-prod-x' });
    expect(plan.targets.map((t) => t.kind)).toEqual(['rds-snapshot', 'rds-instance', 'rds-instance']);

    rds.on(DescribeDBSnapshotsCommand).rejects(
      Object.assign(new Error('DBSnapshot opsbot-prod-x not found.'), {
        name: 'DBSnapshotNotFoundFault',
        $metadata: {},
      }),
    );
    const err = await refusal(restoreJob.run(job, data as never));
    expect(err.message).toBe(
      'Snapshot `opsbot-prod-x` no longer exists (it was deleted after the restore was approved); nothing was restored.',
    );
    expect(rds).not.toHaveReceivedCommand(RestoreDBInstanceFromDBSnapshotCommand);
  });
});
