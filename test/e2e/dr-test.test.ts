import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DeleteDBInstanceCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  RestoreDBInstanceToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { createTestDatabase, type TestDatabase, sql } from '../support/databases.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import * as fx from '../fixtures/aws-actions/responses.js';

const aws = mockAws();
const MIN = 60_000;

/** The test's clock: it moves only when the simulated RDS says time passed (one poll = `step` minutes). */
let now = new Date('2026-11-23T10:00:00Z');
const clock = () => new Date(now);

/**
 * RDS with the live instance and one temporary copy that becomes available
 * after `polls` polls, each moving the clock on by `step` minutes; the copy's
 * endpoint is the real live test database, so the row counts are real.
 */
function simulateRds(
  live: URL,
  { polls, step, snapshotAgeMin = 4 }: { polls: number; step: number; snapshotAgeMin?: number },
) {
  let seen = 0;
  aws.rds.on(DescribeDBSnapshotsCommand).callsFake(() => ({
    DBSnapshots: [
      fx.snapshot(
        'rds:expo-project-prod-db-2026-11-23-09-56',
        'available',
        100,
        'automated',
        new Date(now.getTime() - snapshotAgeMin * MIN),
      ),
      fx.snapshot(
        'rds:expo-project-prod-db-2026-11-22-09-56',
        'available',
        100,
        'automated',
        new Date('2026-11-22T09:56:00Z'),
      ),
    ],
  }));
  aws.rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
    if (input.DBInstanceIdentifier === fx.RDS_INSTANCE)
      return {
        DBInstances: [
          {
            ...fx.dbInstance(fx.RDS_INSTANCE, 'available'),
            BackupRetentionPeriod: 7,
            LatestRestorableTime: new Date(now.getTime() - 3 * MIN),
          },
        ],
      };
    now = new Date(now.getTime() + step * MIN);
    const ready = ++seen >= polls;
    return {
      DBInstances: [
        fx.dbInstance(
          input.DBInstanceIdentifier,
          ready ? 'available' : 'creating',
          ready ? { address: live.hostname, port: Number(live.port || 5432) } : undefined,
        ),
      ],
    };
  });
  aws.rds.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({ DBInstanceAutomatedBackups: [] });
  aws.rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({ DBInstance: fx.dbInstance('x', 'creating') });
  aws.rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({ DBInstance: fx.dbInstance('x', 'creating') });
  aws.rds.on(DeleteDBInstanceCommand).resolves({ DBInstance: fx.dbInstance('x', 'deleting') });
  aws.cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
}

describe('/ops dr test through Slack: approval, one job, report with a picture, always cleaned up, recorded', () => {
  let app: TestApp;
  let live: TestDatabase;

  beforeAll(async () => {
    live = await createTestDatabase('opsbot_drlive');
    await sql(
      live.url,
      `CREATE TABLE orders (id serial PRIMARY KEY, note text);
       CREATE TABLE customers (id serial PRIMARY KEY, name text);
       INSERT INTO orders (note) SELECT repeat('x', 100) FROM generate_series(1, 1500);
       INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 120) g;`,
    );
    app = await TestApp.start({
      clock,
      progressIntervalMs: 20,
      configYaml: `
environments:
  prod:
    region: us-east-1
    rds: { instance: ${fx.RDS_INSTANCE} }
    database: { url: "${live.url}" }
    actions: { pollInterval: 20ms, restoreTimeout: 20s }
    backup: { verify: { checks: { largest: 2 } } }
    dr: { rto: 15m, rpo: 5m }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: [dr test]
      allow: [oncall]
      approval: { approvers: [oncall], expires: 15m }
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await live?.drop();
    aws.restore();
  });
  beforeEach(() => aws.reset());

  async function approveAndFinish(text: string, channel: string): Promise<string> {
    const reply = await app.ask(text, { userId: 'U0ALICE', channelId: channel });
    expect(replyText(reply)).toContain('needs approval');
    const [card] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        JSON.stringify(c.args).includes('approval.approve'),
    );
    const id = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.args))![1];
    expect(aws.rds).not.toHaveReceivedCommand(RestoreDBInstanceFromDBSnapshotCommand);
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: channel });
    return app.jobOutcome(channel, 20_000).then((o) => o.json);
  }

  it('passes: restores the latest snapshot, counts rows against live, RTO and RPO within target, deletes the copy, posts a picture and shows in status and checklist status', async () => {
    simulateRds(new URL(live.url), { polls: 3, step: 4 });
    const uploadsBefore = app.fake.callsTo('files.completeUploadExternal').length;
    const final = await approveAndFinish('dr test prod', 'C0DR1');
    expect(final).toContain('DR test of prod passed');
    expect(final).toContain('RTO 12m / 15m, RPO 4m / 5m');
    expect(final).toContain('orders: 1500 restored / 1500 live');
    const restore = aws.rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0].args[0].input;
    expect(restore.DBSnapshotIdentifier).toBe('rds:expo-project-prod-db-2026-11-23-09-56');
    expect(restore.DBInstanceIdentifier).toMatch(/^expo-project-prod-db-drtest-20261123-1000$/);
    expect(aws.rds).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: restore.DBInstanceIdentifier,
      SkipFinalSnapshot: true,
    });
    await waitUntil(
      'the report picture',
      () => app.fake.callsTo('files.completeUploadExternal').length > uploadsBefore,
    );

    const recorded = await app.runtime.services.drTests.latest('prod');
    expect(recorded).toMatchObject({
      passed: true,
      method: 'snapshot',
      rtoMs: 12 * MIN,
      rpoMs: 4 * MIN,
      rtoTargetMs: 15 * MIN,
    });
    const status = replyText(await app.ask('status prod'));
    expect(status).toContain('Last DR test:* 0s ago (2026-11-23 10:12 UTC), RTO 12m / 15m, RPO 4m / 5m, passed');
    const checklist = replyText(await app.ask('checklist status'));
    expect(checklist).toContain('*prod* · :large_green_circle: *Last DR test:*');
  });

  it('fails when the restore takes longer than the RTO, still deletes the copy, and records the failure', async () => {
    simulateRds(new URL(live.url), { polls: 5, step: 5 });
    const final = await approveAndFinish('dr test prod', 'C0DR2');
    expect(final).toContain('DR test of prod failed');
    expect(final).toContain('RTO 25m (restore requested → available) over the target of 15m');
    expect(aws.rds).toHaveReceivedCommandTimes(DeleteDBInstanceCommand, 1);
    const recorded = await app.runtime.services.drTests.latest('prod');
    expect(recorded).toMatchObject({ passed: false, rtoMs: 25 * MIN });
    expect(replyText(await app.ask('status prod'))).toContain('RTO 25m / 15m, RPO 4m / 5m, failed');
  });

  it('point in time: restores to the latest restorable time; a refused restore is a red report with nothing to delete', async () => {
    simulateRds(new URL(live.url), { polls: 2, step: 3 });
    const final = await approveAndFinish('dr test prod --from point-in-time', 'C0DR3');
    expect(final).toContain('DR test of prod passed');
    expect(final).toContain('RPO 3m / 5m');
    const pitr = aws.rds.commandCalls(RestoreDBInstanceToPointInTimeCommand)[0].args[0].input;
    expect(pitr.SourceDBInstanceIdentifier).toBe(fx.RDS_INSTANCE);
    expect(pitr.RestoreTime?.toISOString()).toBe(new Date(now.getTime() - 6 * MIN - 3 * MIN).toISOString());

    aws.reset();
    simulateRds(new URL(live.url), { polls: 2, step: 3 });
    aws.rds
      .on(RestoreDBInstanceToPointInTimeCommand)
      .rejects(awsError('InvalidRestoreFault', 'Restore time is outside the restorable window'));
    const refused = await approveAndFinish('dr test prod --from point-in-time', 'C0DR4');
    expect(refused).toContain('DR test of prod failed');
    expect(refused).toContain('RDS refused the point-in-time restore');
    expect(refused).toContain('RTO not measured');
    expect(aws.rds).not.toHaveReceivedCommand(DeleteDBInstanceCommand);
    expect((await app.runtime.services.drTests.latest('prod'))?.passed).toBe(false);
  });
});
