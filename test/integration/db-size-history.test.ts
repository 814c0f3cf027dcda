import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { configFor, runSql } from '../support/pg-fixtures.js';
import { fakeServices, contextWith } from '../support/services.js';
import { migrate } from '../../src/store/migrate.js';
import { createPool, type Pool } from '../../src/store/pool.js';
import { DbSizeHistoryRepository } from '../../src/store/db-size-history.js';
import { TargetDatabases } from '../../src/probes/target-postgres.js';
import { createLogger } from '../../src/log.js';
import { dbSize } from '../../commands/db/size.js';
import { dbSizeRecordJob } from '../../commands/db/size-record.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import type { Reply } from '../../src/core/reply.js';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { AwsClientFactory } from '../../src/aws/clients.js';

const rds = mockClient(RDSClient);
const cloudwatch = mockClient(CloudWatchClient);

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** The daily size samples behind /ops db size: stored once a day, read back as a growth line. */
describe('database size history', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let pool: Pool;
  let repo: DbSizeHistoryRepository;
  let targets: TargetDatabases;

  beforeAll(async () => {
    [store, target] = await Promise.all([createTestDatabase('opsbot_sizes'), createTestDatabase('opsbot_sizes_t')]);
    await migrate(store.url, createLogger('silent'));
    pool = createPool(store.url, { max: 2 });
    repo = new DbSizeHistoryRepository(pool);
    await runSql(
      target.url,
      'CREATE TABLE orders (id int PRIMARY KEY, body text)',
      `INSERT INTO orders SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g`,
    );
    targets = new TargetDatabases(configFor(target.url));
  });

  afterAll(async () => {
    await targets?.closeAll();
    await pool?.end();
    await Promise.all([store?.drop(), target?.drop()]);
  });

  it('keeps one sample per environment and day, the latest of the day winning', async () => {
    const day = new Date('2025-11-01T08:00:00Z');
    await repo.record({ env: 'qa', databaseBytes: 100, tables: [], takenAt: day });
    await repo.record({
      env: 'qa',
      databaseBytes: 150,
      tables: [{ table: 'orders', bytes: 90 }],
      takenAt: new Date('2025-11-01T20:00:00Z'),
    });
    await repo.record({ env: 'qa', databaseBytes: 200, tables: [], takenAt: new Date('2025-11-02T08:00:00Z') });
    await repo.record({ env: 'other', databaseBytes: 1, tables: [], takenAt: day });
    const history = await repo.history('qa', 30, new Date('2025-11-03T00:00:00Z'));
    expect(history.map((s) => [s.day, s.databaseBytes])).toEqual([
      ['2025-11-01', 150],
      ['2025-11-02', 200],
    ]);
    expect(history[0].tables).toEqual([{ table: 'orders', bytes: 90 }]);
    expect(await repo.history('qa', 1, new Date('2025-11-03T00:00:00Z'))).toEqual([]);
  });

  it('db size shows the 30-day sparkline and when RDS storage fills at this rate', async () => {
    const now = new Date();
    const today = (
      await targets.readOnly('prod', (q) => q.query('SELECT pg_database_size(current_database())::float8 AS b'))
    ).rows[0].b as number;
    // Ten days growing 1 MB a day up to today's real size (the command records today's sample itself).
    for (let i = 10; i >= 1; i--) {
      await repo.record({
        env: 'prod',
        databaseBytes: today - i * MB,
        tables: [],
        takenAt: new Date(now.getTime() - i * 86_400_000),
      });
    }
    const config = configFor(target.url);
    const services = fakeServices({ targets, dbSizes: repo, clock: () => now });
    const base = {
      command: dbSize,
      text: 'db size',
      envName: 'prod',
      config,
      actor: { id: 'U0TEST' },
      source: 'slack' as const,
      log: createLogger('silent'),
    };
    const plain = contextWith(services, { ...base, env: config.environments.prod });
    const text = renderReplyAsText((await dbSize.run(plain, {})) as Reply);
    expect(text).toMatch(/Growth over 30 days .*[▁▂▃▄▅▆▇█]/);
    expect(text).toContain('no rds configured');
    expect(text).toMatch(/\+10\.0 MB in 10 days \(\+1\.0 MB\/day\)/);
    // The command's own measurement became today's sample.
    expect((await repo.history('prod', 1, now)).length).toBe(1);

    // With RDS: 12 MB free, growing 1 MB a day → full in about 12 days (a fake session answers the two reads).
    const withRds = contextWith(
      fakeServices({ targets, dbSizes: repo, clock: () => now, aws: fakeRdsAccess(40, (12 * MB) / GB) }),
      { ...base, env: { ...config.environments.prod, region: 'us-east-1', rds: { instance: 'expo-prod-db' } } },
    );
    const reply = (await dbSize.run(withRds, {})) as Reply;
    expect(reply.tone).toBe('warning');
    expect(renderReplyAsText(reply)).toMatch(
      /12\.0 MB free of 40 GB · no storage autoscaling — full in about 1[12] days/,
    );
  });

  it('the daily job records every environment with a database', async () => {
    const config = configFor(target.url);
    const services = fakeServices({ targets, dbSizes: repo });
    const reply = await dbSizeRecordJob.run(
      {
        jobId: '1',
        config,
        log: createLogger('silent'),
        services,
        signal: new AbortController().signal,
        progress: async () => undefined,
      },
      {},
    );
    expect(reply.text).toBe('Database sizes recorded for 1 environments');
  });
});

/** The real AwsClientFactory over mocked clients answering with documented shapes (DescribeDBInstances, GetMetricData). */
function fakeRdsAccess(allocatedGb: number, freeGb: number): AwsClientFactory {
  rds.reset();
  cloudwatch.reset();
  rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: 'expo-prod-db',
        DBInstanceStatus: 'available',
        DBInstanceClass: 'db.t3.small',
        Engine: 'postgres',
        AllocatedStorage: allocatedGb,
        MultiAZ: false,
        PendingModifiedValues: {},
      },
    ],
  });
  cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      {
        Id: 'free',
        Label: 'FreeStorageSpace',
        Timestamps: [new Date()],
        Values: [freeGb * GB],
        StatusCode: 'Complete',
      },
    ],
  });
  return new AwsClientFactory();
}
