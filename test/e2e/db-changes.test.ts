import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  ModifyDBInstanceCommand,
  ModifyDBParameterGroupCommand,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { TestApp, replyText } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { queryRows, runSql } from '../support/pg-fixtures.js';
import { waitUntil } from '../support/wait.js';
import { mockAws } from '../support/aws-mocks.js';
import { described, freeStorage, instance, logMinDuration, workMem } from '../fixtures/aws/rds-changes.js';

const aws = mockAws();

/** db resize, db storage, db params and db param through signed Slack requests: card, approval by another, outcome. */
describe('RDS changes and database parameters end to end', () => {
  let app: TestApp;
  let target: TestDatabase;
  const text = (reply: Parameters<typeof replyText>[0]) => `${reply.text}\n${replyText(reply)}`;

  beforeAll(async () => {
    target = await createTestDatabase('opsbot_e2e_dbchanges');
    app = await TestApp.start({
      progressIntervalMs: 20,
      configYaml: `
environments:
  prod:
    region: us-east-1
    rds: { instance: expo-project-prod-db }
    actions: { pollInterval: 40ms, restoreTimeout: 20s, snapshotTimeout: 20s }
  self:
    database: { url: "${target.url}" }
`,
    });
  });
  afterAll(async () => {
    if (target) await runSql(target.url, 'ALTER SYSTEM RESET log_temp_files', 'SELECT pg_reload_conf()');
    await app?.stop();
    await target?.drop();
    aws.restore();
  });
  beforeEach(() => aws.reset());

  /** DescribeDBInstances answers each state in turn, then the last one for ever. */
  function states(...list: Partial<DBInstance>[]) {
    let i = 0;
    aws.rds.on(DescribeDBInstancesCommand).callsFake(() => described(list[Math.min(i++, list.length - 1)]));
  }

  async function approve(ask: string, channel: string) {
    const reply = await app.ask(ask, { userId: 'U0ALICE', channelId: channel });
    expect(replyText(reply)).toContain('needs approval');
    const [posted] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        JSON.stringify(c.args).includes('approval.approve'),
    );
    const card = JSON.stringify(posted.args);
    const id = /"value":"([0-9a-f-]{36})"/.exec(card)![1];
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: channel });
    return card;
  }

  const said = (channel: string, words: string) =>
    app.fake.waitFor(
      (c) =>
        (c.method === 'chat.update' || c.method === 'chat.postMessage') &&
        c.args.channel === channel &&
        JSON.stringify(c.args).includes(words),
      { timeoutMs: 20_000 },
    );

  it('db resize --now: the card warns about the reboot; approved, it is followed until available as the new class', async () => {
    states(
      {},
      {},
      { DBInstanceStatus: 'modifying' },
      { DBInstanceStatus: 'modifying' },
      { DBInstanceClass: 'db.t3.small' },
    );
    aws.rds.on(ModifyDBInstanceCommand).resolves({ DBInstance: instance({ DBInstanceStatus: 'modifying' }) });
    const card = await approve('db resize prod db.t3.small --now', 'C0RESIZE');
    expect(card).toContain('db.t3.micro → *db.t3.small*, *applied now*');
    expect(card).toContain('RDS restarts the instance');
    await said('C0RESIZE', 'is now db.t3.small* (was db.t3.micro)');
    expect(aws.rds).toHaveReceivedCommandWith(ModifyDBInstanceCommand, {
      DBInstanceClass: 'db.t3.small',
      ApplyImmediately: true,
    });
    expect(text(await app.ask('db resize prod db.t3.smal'))).toContain('is not an RDS instance class');
  });

  it('db storage: grows to 40 GiB with autoscaling, free storage before and after', async () => {
    const GiB = 1024 ** 3;
    states({}, {}, { DBInstanceStatus: 'modifying' }, { AllocatedStorage: 40, MaxAllocatedStorage: 100 });
    aws.rds.on(ModifyDBInstanceCommand).resolves({ DBInstance: instance({ DBInstanceStatus: 'modifying' }) });
    aws.cw
      .on(GetMetricDataCommand)
      .resolvesOnce(freeStorage(3 * GiB, new Date()))
      .resolves(freeStorage(23 * GiB, new Date()));
    const card = await approve('db storage prod 40 --max 100', 'C0STORAGE');
    expect(card).toContain('Free now: 3 GiB');
    await said('C0STORAGE', 'has 40 GiB of storage* (was 20), autoscaling up to 100 GiB');
    expect(aws.rds).toHaveReceivedCommandWith(ModifyDBInstanceCommand, {
      AllocatedStorage: 40,
      MaxAllocatedStorage: 100,
    });
    states({ AllocatedStorage: 40 });
    expect(text(await app.ask('db storage prod 30'))).toContain('RDS cannot shrink storage');
  });

  it('db params reads the group; db param changes it once approved', async () => {
    aws.rds.on(DescribeDBInstancesCommand).resolves(described());
    aws.rds.on(DescribeDBParametersCommand).resolves({ Parameters: [logMinDuration, workMem] });
    aws.rds.on(ModifyDBParameterGroupCommand).resolves({ DBParameterGroupName: 'expo-prod-pg16' });
    expect(text(await app.ask('db params prod log_min'))).toMatch(/log_min_duration_statement\s+\(engine default\)/);
    const card = await approve('db param prod log_min_duration_statement 1000', 'C0PARAM');
    expect(card).toContain('ApplyMethod immediate');
    await said('C0PARAM', '`log_min_duration_statement` = 1000* in RDS parameter group `expo-prod-pg16`');
    expect(aws.rds).toHaveReceivedCommandWith(ModifyDBParameterGroupCommand, {
      Parameters: [{ ParameterName: 'log_min_duration_statement', ParameterValue: '1000', ApplyMethod: 'immediate' }],
    });
  });

  it('self-hosted: db param sets it with ALTER SYSTEM once approved', async () => {
    expect(text(await app.ask('db params self log_temp'))).toMatch(/log_temp_files\s+-?\d+ kB\s+reload/);
    const card = await approve('db param self log_temp_files 4321', 'C0SELF');
    expect(card).toContain('ALTER SYSTEM SET, then pg_reload_conf()');
    await said('C0SELF', '`log_temp_files` = 4321*');
    await waitUntil('a new connection to see 4321kB', async () => {
      const [row] = await queryRows<{ v: string }>(target.url, `SELECT current_setting('log_temp_files') AS v`);
      return row.v === '4321kB';
    });
  });
});
