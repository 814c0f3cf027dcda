import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { commandContext, configFor, queryRows, runSql } from '../support/pg-fixtures.js';
import { waitUntil } from '../support/wait.js';
import type { OpsConfig } from '../../src/config/schema.js';
import { TargetDatabases } from '../../src/probes/target-postgres.js';
import { isJobRequest, type CommandResult } from '../../src/core/command.js';
import type { Reply } from '../../src/core/reply.js';
import { dbParam } from '../../commands/db/param.js';
import { dbParams } from '../../commands/db/params.js';
import { renderReplyAsText } from '../../views/plain-text.js';

/**
 * A self-hosted database's settings: pg_settings for reading, ALTER SYSTEM + pg_reload_conf() for changing.
 * ALTER SYSTEM is cluster-wide, so only log_min_duration_statement (harmless) is changed, and RESET afterwards.
 */
describe('db params and db param against a real Postgres (no RDS)', () => {
  let db: TestDatabase;
  let config: OpsConfig;
  let targets: TargetDatabases;
  const ctx = (command: typeof dbParam | typeof dbParams) => commandContext(command, config, targets);
  const text = (r: CommandResult) => {
    if (isJobRequest(r)) throw new Error('expected a reply');
    return `${r.text}\n${renderReplyAsText(r as Reply)}`;
  };
  /** What a new connection sees: reloading is asynchronous. */
  const shown = async () =>
    (await queryRows<{ v: string }>(db.url, 'SELECT current_setting($1) AS v', ['log_min_duration_statement']))[0].v;

  beforeAll(async () => {
    db = await createTestDatabase('opsbot_dbparams');
    config = configFor(db.url);
    targets = new TargetDatabases(config);
  });
  afterAll(async () => {
    if (db) await runSql(db.url, 'ALTER SYSTEM RESET log_min_duration_statement', 'SELECT pg_reload_conf()');
    await targets?.closeAll();
    await db?.drop();
  });

  it('db params lists matching settings from pg_settings with how a change applies', async () => {
    const out = text(await dbParams.run(ctx(dbParams), { pattern: 'log_min_dur*' }));
    expect(out).toMatch(/2 of \d+ parameters match log_min_dur\* in Postgres settings \(pg_settings\)/);
    expect(out).toMatch(/log_min_duration_statement\s+-?\d+ ms\s+reload/);
    expect(text(await dbParams.run(ctx(dbParams), { pattern: 'shared_buffers' }))).toMatch(/shared_buffers\s.*restart/);
  });

  it('db param: ALTER SYSTEM SET + pg_reload_conf() for a reloadable setting, visible to new connections', async () => {
    const plan = await dbParam.plan(ctx(dbParam), { name: 'log_min_duration_statement', value: '1234' });
    expect(plan.effects[0]).toContain('ALTER SYSTEM SET, then pg_reload_conf(): applies to every session');
    expect(plan.preconditions[0].what).toBe('log_min_duration_statement is');
    const done = text(await dbParam.execute(ctx(dbParam), plan));
    expect(done).toContain('log_min_duration_statement = 1234 on prod');
    expect(done).toContain('now reported: 1234 ms');
    await waitUntil('a new connection to see 1234ms', async () => (await shown()) === '1234ms');
  });

  it('says which settings need a restart, and refuses fixed ones, bad values and unknown names', async () => {
    const restart = await dbParam.plan(ctx(dbParam), { name: 'max_connections', value: '150' });
    expect(restart.summary).toContain('(needs a restart)');
    expect(restart.effects[0]).toContain('takes effect only after a Postgres restart (context postmaster)');
    await expect(dbParam.plan(ctx(dbParam), { name: 'server_version', value: '99' })).rejects.toThrow(
      'context internal',
    );
    await expect(dbParam.plan(ctx(dbParam), { name: 'log_statement', value: 'loud' })).rejects.toThrow(
      '`log_statement` takes one of `none`, `ddl`, `mod`, `all`, not `loud`',
    );
    await expect(dbParam.plan(ctx(dbParam), { name: 'log_min_duration', value: '1' })).rejects.toMatchObject({
      hint: expect.stringContaining('`log_min_duration_statement`'),
    });
  });

  it('changes nothing when the setting moved after the plan', async () => {
    const plan = await dbParam.plan(ctx(dbParam), { name: 'log_min_duration_statement', value: '2000' });
    await runSql(db.url, `ALTER SYSTEM SET log_min_duration_statement = 3000`, 'SELECT pg_reload_conf()');
    await waitUntil('the pooled session to see 3000ms', async () =>
      targets.readOnly(
        'prod',
        async (q) => (await q.query('SHOW log_min_duration_statement')).rows[0]?.log_min_duration_statement === '3s',
      ),
    );
    await expect(dbParam.execute(ctx(dbParam), plan)).rejects.toMatchObject({
      planChanged: true,
      message: expect.stringContaining('is now 3000 ms, not 1234 ms as when this was approved'),
    });
    expect(await shown()).toBe('3s');
  });
});
