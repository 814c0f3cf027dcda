import { fakeServices } from '../support/services.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { SideClients, commandContext, configFor, queryRows, runSql } from '../support/pg-fixtures.js';
import { waitUntil } from '../support/wait.js';
import type { OpsConfig } from '../../src/config/schema.js';
import { TargetDatabases } from '../../src/probes/target-postgres.js';
import type { JobContext } from '../../src/core/job.js';
import { createLogger } from '../../src/log.js';
import { dbKillIdle } from '../../commands/db/kill-idle.js';
import { dbKill } from '../../commands/db/kill.js';
import { dbVacuum, dbVacuumJob } from '../../commands/db/vacuum.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import type { Reply } from '../../src/core/reply.js';

/** The commands that change something, called as the approval gate and the worker call them. */
describe('db kill-idle, db kill and db vacuum against a real Postgres', () => {
  let db: TestDatabase;
  let other: TestDatabase;
  let config: OpsConfig;
  let targets: TargetDatabases;
  let side: SideClients;
  const alive = async (pid: number) =>
    (await queryRows(db.url, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).length === 1;

  beforeAll(async () => {
    [db, other] = await Promise.all([createTestDatabase('opsbot_dbact'), createTestDatabase('opsbot_dbact_other')]);
    config = configFor(db.url);
    targets = new TargetDatabases(config);
  });
  // Each test's sessions end with it: kill-idle ends every old idle session, so one left behind would be counted.
  beforeEach(() => {
    side = new SideClients(db.url);
  });
  afterEach(async () => {
    await side?.close();
  });

  afterAll(async () => {
    await targets?.closeAll();
    await Promise.all([db?.drop(), other?.drop()]);
  });

  it('kill-idle describes, then ends, only idle client connections of this database older than the bound', async () => {
    const victims = [await side.open('victim'), await side.open('victim')];
    const opsbotLike = await side.open('x');
    await opsbotLike.client.query(`SET application_name = 'opsbot-other-replica'`);
    const busy = await side.open('busy');
    void side.start(busy.client, 'SELECT pg_sleep(30)');
    const elsewhere = await side.open('elsewhere', other.url);
    const idle = [...victims, opsbotLike, elsewhere].map((s) => s.pid);
    await waitUntil(
      'the idle sessions to be idle for over 1s',
      async () =>
        (
          await queryRows(
            db.url,
            `SELECT 1 FROM pg_stat_activity
            WHERE pid = ANY($1) AND state = 'idle' AND clock_timestamp() - state_change > interval '1100 milliseconds'`,
            [idle],
          )
        ).length === idle.length,
    );

    const ctx = commandContext(dbKillIdle, config, targets, 'db kill-idle prod --older 1s');
    const plan = await dbKillIdle.plan(ctx, { older: 1000 });
    const effect = plan.effects.join('\n');
    expect(effect).toContain('Ends *2 idle connections*');
    expect(plan.data.connections.map((c) => c.pid).sort()).toEqual(victims.map((v) => v.pid).sort());
    expect(effect).toContain(`2 × postgres / ${side.tag}-victim`);
    expect(await alive(victims[0].pid)).toBe(true);

    const reply = (await dbKillIdle.execute(ctx, plan)) as Reply;
    expect(reply.text).toBe('prod: ended 2 idle connections (older than 1s)');
    expect(renderReplyAsText(reply)).toContain(`2 × postgres / ${side.tag}-victim`);
    await waitUntil('victims to exit', async () => !(await alive(victims[0].pid)) && !(await alive(victims[1].pid)), {
      timeoutMs: 3000,
    });
    expect(await alive(opsbotLike.pid)).toBe(true);
    expect(await alive(busy.pid)).toBe(true);
    expect((await queryRows(other.url, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [elsewhere.pid])).length).toBe(
      1,
    );

    // Nothing idle is left, so a new request is refused before any card; the old plan ends nothing more.
    await expect(dbKillIdle.plan(ctx, { older: 1000 })).rejects.toThrow(/there is nothing to end/);
    await expect(dbKillIdle.execute(ctx, plan)).rejects.toThrow(/pid \d+ has closed.*nothing was ended/);
  });

  it('kill-idle ends nothing when the counted connection went away or its pid now names another backend', async () => {
    const gone = await side.open('gone');
    const kept = await side.open('kept');
    const pids = [gone.pid, kept.pid];
    await waitUntil('both idle over 1s', async () => {
      const rows = await queryRows(
        db.url,
        `SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1) AND state = 'idle' AND clock_timestamp() - state_change > interval '1100 milliseconds'`,
        [pids],
      );
      return rows.length === 2;
    });
    const ctx = commandContext(dbKillIdle, config, targets, 'db kill-idle prod --older 1s');
    const plan = await dbKillIdle.plan(ctx, { older: 1000 });
    const mine = {
      ...plan,
      data: { ...plan.data, connections: plan.data.connections.filter((c) => pids.includes(c.pid)) },
    };
    expect(mine.data.connections).toHaveLength(2);
    await gone.client.end();
    await waitUntil('the closed one to leave pg_stat_activity', async () => !(await alive(gone.pid)));
    // The same pid with another backend_start is what a reused pid looks like: it must not be ended.
    mine.data.connections = mine.data.connections.map((c) => (c.pid === kept.pid ? { ...c, backendStart: '1' } : c));
    await expect(dbKillIdle.execute(ctx, mine)).rejects.toThrow(
      new RegExp(`pid ${gone.pid} has closed; pid ${kept.pid} now belongs to another connection.*nothing was ended`),
    );
    expect(await alive(kept.pid)).toBe(true);
  });

  it('kill-idle leaves connections idle for less than the bound', async () => {
    const fresh = await side.open('fresh');
    const ctx = commandContext(dbKillIdle, config, targets);
    await expect(dbKillIdle.plan(ctx, { older: 600_000 })).rejects.toThrow(/there is nothing to end/);
    expect(await alive(fresh.pid)).toBe(true);
  });

  it('kill describes who a pid is and what it runs, then ends it', async () => {
    const target = await side.open('runaway');
    const running = side.start(target.client, 'SELECT pg_sleep(60) AS runaway_report');
    await waitUntil(
      'the runaway query to be active',
      async () =>
        (await queryRows(db.url, `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`, [target.pid]))
          .length === 1,
    );
    const ctx = commandContext(dbKill, config, targets);
    const plan = await dbKill.plan(ctx, { pid: target.pid });
    const effect = plan.effects.join('\n');
    expect(effect).toContain(`pid ${target.pid} (postgres / ${side.tag}-runaway`);
    expect(effect).toContain('pg_sleep(60) AS runaway_report');
    expect(effect).toContain('transaction is rolled back');
    // Planned with one backend_start; executed against a backend that (as far as the plan can tell) is another one.
    const reused = { ...plan, data: { backend: { ...plan.data.backend, backendStart: '1' } } };
    await expect(dbKill.execute(ctx, reused)).rejects.toThrow(
      `pid ${target.pid} now belongs to another connection since the kill was approved; nothing was ended.`,
    );
    expect(await alive(target.pid)).toBe(true);
    const reply = (await dbKill.execute(ctx, plan)) as Reply;
    expect(reply.text).toBe(`prod: ended pid ${target.pid} (postgres / ${side.tag}-runaway)`);
    expect(String(await running)).toMatch(/terminat/);
  });

  it('kill refuses opsbot itself, other databases and unknown pids', async () => {
    const ctx = commandContext(dbKill, config, targets);
    const elsewhere = await side.open('elsewhere2', other.url);
    await expect(dbKill.plan(ctx, { pid: elsewhere.pid })).rejects.toThrow(/another database/);
    await expect(dbKill.plan(ctx, { pid: 999_999 })).rejects.toThrow(/No connection has pid 999999/);
    const ownPid = await targets.readOnly(
      'prod',
      async (q) => (await q.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number,
    );
    await expect(dbKill.plan(ctx, { pid: ownPid })).rejects.toThrow(/opsbot's own connection/);
    expect((await queryRows(other.url, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [elsewhere.pid])).length).toBe(
      1,
    );
  });

  describe('vacuum', () => {
    const progress: { percent: number; note?: string }[] = [];
    const jobContext = (signal: AbortSignal): JobContext => ({
      jobId: 'test',
      config,
      log: createLogger('silent'),
      services: fakeServices({ targets }),
      signal,
      progress: async (percent, note) => void progress.push({ percent, note }),
    });

    // A fresh table with 2,500 dead tuples for every test, whatever ran before. (The sleeping sessions of the
    // tests above, which would hold back the xmin horizon, have ended with their tests.)
    beforeEach(async () => {
      progress.length = 0;
      await runSql(
        db.url,
        `DROP TABLE IF EXISTS churn`,
        `CREATE TABLE churn (id int PRIMARY KEY, body text) WITH (autovacuum_enabled = false)`,
        `INSERT INTO churn SELECT g, repeat('y', 200) FROM generate_series(1, 5000) g`,
        `DELETE FROM churn WHERE id % 2 = 0`,
        `CREATE TABLE IF NOT EXISTS "Odd Name" (id int)`,
      );
    });

    it('queues a job for a table checked against the catalogue, and refuses an unknown one at once', async () => {
      const ctx = commandContext(dbVacuum, config, targets);
      const run = async (table: string) => dbVacuum.execute(ctx, await dbVacuum.plan(ctx, { table }));
      expect(await run('churn')).toEqual({
        job: {
          name: 'db.vacuum',
          data: { env: 'prod', table: { schema: 'public', name: 'churn' } },
          title: 'VACUUM (ANALYZE) churn on prod',
        },
      });
      expect(await run('"Odd Name"')).toMatchObject({
        job: { data: { table: { schema: 'public', name: 'Odd Name' } } },
      });
      await expect(dbVacuum.plan(ctx, { table: 'chrun' })).rejects.toThrow(/no table `chrun`/);
    });

    it('vacuums the table, cleans its dead tuples and reports progress', async () => {
      const reply = await dbVacuumJob.run(jobContext(new AbortController().signal), {
        env: 'prod',
        table: { schema: 'public', name: 'churn' },
      });
      expect(reply.text).toMatch(/^prod: vacuumed 1 table\(s\), 2,500 dead tuples cleaned$/);
      expect(progress.some((p) => p.note?.includes('vacuuming public.churn'))).toBe(true);
      const [stats] = await queryRows<{ dead: string; last_vacuum: Date | null }>(
        db.url,
        `SELECT n_dead_tup AS dead, last_vacuum FROM pg_stat_user_tables WHERE relname = 'churn'`,
      );
      expect(Number(stats.dead)).toBe(0);
      expect(stats.last_vacuum).toBeInstanceOf(Date);
    });

    it('vacuums every table when none is named', async () => {
      const reply = await dbVacuumJob.run(jobContext(new AbortController().signal), { env: 'prod', table: null });
      expect(renderReplyAsText(reply)).toContain('vacuumed and analyzed 2 tables');
    });

    it('cancels the running VACUUM on the server when the job is aborted', async () => {
      // A slow vacuum: cost-based delay on every page, set for this database's new sessions only.
      await runSql(
        db.url,
        `ALTER DATABASE ${db.name} SET vacuum_cost_delay = '50ms'`,
        `ALTER DATABASE ${db.name} SET vacuum_cost_limit = 1`,
        `DELETE FROM churn WHERE id % 3 = 0`,
      );
      try {
        const controller = new AbortController();
        const running = dbVacuumJob.run(jobContext(controller.signal), {
          env: 'prod',
          table: { schema: 'public', name: 'churn' },
        });
        running.catch(() => undefined);
        await waitUntil(
          'vacuum to start',
          async () =>
            (
              await queryRows(
                db.url,
                `SELECT 1 FROM pg_stat_progress_vacuum p JOIN pg_stat_activity a USING (pid) WHERE a.datname = $1`,
                [db.name],
              )
            ).length === 1,
          { timeoutMs: 5000 },
        );
        await waitUntil(
          'progress from pg_stat_progress_vacuum',
          () => progress.some((p) => p.note?.includes('scanning heap')),
          { timeoutMs: 5000 },
        );
        controller.abort(new Error('cancelled by U0TEST'));
        await expect(running).rejects.toThrow(/cancel/i);
        await waitUntil(
          'vacuum backend to stop',
          async () =>
            (
              await queryRows(
                db.url,
                `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'VACUUM%' AND state = 'active'`,
                [db.name],
              )
            ).length === 0,
          { timeoutMs: 3000 },
        );
      } finally {
        await runSql(
          db.url,
          `ALTER DATABASE ${db.name} RESET vacuum_cost_delay`,
          `ALTER DATABASE ${db.name} RESET vacuum_cost_limit`,
        );
      }
    });
  });
});
