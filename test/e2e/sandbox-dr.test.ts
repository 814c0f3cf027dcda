// The demo's simulated RDS for disaster recovery, driven by the real SDK v3
// clients (a client of a second region signs for that region, as with AWS),
// and /ops dr test through the Slack harness against it, with the restored
// copy answering at a real Postgres database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  CopyDBSnapshotCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  InvalidRestoreFault,
  KMSKeyNotAccessibleFault,
  RDSClient,
  RestoreDBInstanceToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { startAwsSimulator, type AwsSimulator } from '../../src/sandbox/aws/server.js';
import { answerRestoredCopiesAt } from '../../src/sandbox/aws/rds-dr.js';
import { DEMO_NAMES as N } from '../../src/sandbox/aws/fleet.js';
import { TestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const PATIENTLY = { timeoutMs: 20_000, intervalMs: 100 };
const KEY = 'arn:aws:kms:us-west-2:123456789012:key/mrk-0123456789abcdef';

let sim: AwsSimulator;
const client = (region: string) =>
  new RDSClient({
    endpoint: sim.url,
    region,
    credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
    maxAttempts: 1,
  });

describe('simulated RDS: point-in-time restore, cross-region copies, the restorable window', () => {
  beforeAll(async () => {
    sim = await startAwsSimulator({ timeScale: 0.05 });
  });
  afterAll(async () => sim?.close());

  it('restores to a point in time inside the window into a new instance, and refuses one outside it', async () => {
    const east = client(N.region);
    const [backup] = (
      await east.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: N.dbInstance }))
    ).DBInstanceAutomatedBackups!;
    const latest = backup.RestoreWindow!.LatestTime!;
    expect(Date.now() - latest.getTime()).toBeLessThanOrEqual(301_000);
    expect(backup.RestoreWindow!.EarliestTime!.getTime()).toBeLessThan(latest.getTime());
    await expect(
      east.send(
        new RestoreDBInstanceToPointInTimeCommand({
          SourceDBInstanceIdentifier: N.dbInstance,
          TargetDBInstanceIdentifier: 'pitr-too-late',
          RestoreTime: new Date(Date.now() + 60_000),
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidRestoreFault);
    const out = await east.send(
      new RestoreDBInstanceToPointInTimeCommand({
        SourceDBInstanceIdentifier: N.dbInstance,
        TargetDBInstanceIdentifier: 'pitr-test',
        RestoreTime: latest,
      }),
    );
    expect(out.DBInstance?.DBInstanceStatus).toBe('creating');
    await waitUntil(
      'the point-in-time copy',
      async () =>
        (await east.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'pitr-test' }))).DBInstances?.[0]
          ?.DBInstanceStatus === 'available',
      PATIENTLY,
    );
  });

  it('copies a snapshot into a second region, where only that region sees it; a key of another region is refused', async () => {
    const east = client(N.region);
    const west = client('us-west-2');
    const [source] = (await east.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: N.dbInstance })))
      .DBSnapshots!;
    await expect(
      west.send(
        new CopyDBSnapshotCommand({
          SourceDBSnapshotIdentifier: source.DBSnapshotArn,
          TargetDBSnapshotIdentifier: 'dr-copy-bad-key',
          KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/mrk-x',
        }),
      ),
    ).rejects.toBeInstanceOf(KMSKeyNotAccessibleFault);
    await west.send(
      new CopyDBSnapshotCommand({
        SourceDBSnapshotIdentifier: source.DBSnapshotArn,
        TargetDBSnapshotIdentifier: 'dr-copy',
        KmsKeyId: KEY,
      }),
    );
    const copy = await waitUntil(
      'the copy in us-west-2',
      async () => {
        const s = (await west.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'dr-copy' })))
          .DBSnapshots?.[0];
        return s?.Status === 'available' && s;
      },
      PATIENTLY,
    );
    expect(copy).toMatchObject({
      DBInstanceIdentifier: N.dbInstance,
      KmsKeyId: KEY,
      SourceDBSnapshotIdentifier: source.DBSnapshotArn,
    });
    expect(copy.DBSnapshotArn).toContain(':us-west-2:');
    const inEast = (await east.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: N.dbInstance })))
      .DBSnapshots!;
    expect(inEast.map((s) => s.DBSnapshotIdentifier)).not.toContain('dr-copy');
  });
});

describe('/ops dr test against the simulated RDS, as in the playground', () => {
  let own: AwsSimulator;
  let app: TestApp;
  let live: TestDatabase;
  const saved = { ...process.env };

  beforeAll(async () => {
    live = await createTestDatabase('opsbot_sandbox_dr');
    const c = new pg.Client({ connectionString: live.url });
    await c.connect();
    await c.query(
      `CREATE TABLE bookings (id serial PRIMARY KEY); INSERT INTO bookings SELECT FROM generate_series(1, 250);`,
    );
    await c.end();
    own = await startAwsSimulator({ timeScale: 0.05 });
    const url = new URL(live.url);
    answerRestoredCopiesAt(own.fleet, { address: url.hostname, port: Number(url.port || 5432) });
    Object.assign(process.env, own.sdkEnv());
    app = await TestApp.start({
      progressIntervalMs: 20,
      configYaml: `
environments:
  prod:
    region: us-east-1
    rds: { instance: ${N.dbInstance} }
    database: { url: "${live.url}" }
    actions: { pollInterval: 100ms, restoreTimeout: 30s }
    dr: { method: point-in-time }
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await own?.close();
    await live?.drop();
    for (const key of Object.keys(own?.sdkEnv() ?? {})) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('restores the latest restorable time, counts the rows in the copy, passes and deletes the temporary instance', async () => {
    await app.command('dr test prod', { channelId: 'C0SANDR' });
    const final = await app.jobOutcome('C0SANDR', 40_000).then((o) => o.json);
    expect(final).toContain('DR test of prod passed');
    expect(final).toContain('bookings: 250 restored / 250 live');
    const temp = [...own.fleet.rds.values()].find((db) => db.id.includes('-drtest-'));
    expect(temp?.status).toBe('deleting');
    expect(own.calls.some((c) => c.operation === 'RestoreDBInstanceToPointInTime')).toBe(true);
  });
});
