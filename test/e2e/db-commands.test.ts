import { freePort } from '../../src/sandbox/ports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { SideClients, queryRows, runSql } from '../support/pg-fixtures.js';
import { waitUntil } from '../support/wait.js';

const PASSWORD = 's3cret-e2e-pw';

/** Every /ops db command through signed Slack requests, the router, the worker and a fake Slack. */
describe('/ops db end to end', () => {
  let app: TestApp;
  let target: TestDatabase;
  let bare: TestDatabase;
  let side: SideClients;
  let pssLoaded = false;
  const withPassword = (url: string) => url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);
  const text = (reply: Parameters<typeof replyText>[0]) => `${reply.text}\n${replyText(reply)}`;
  const updatesContaining = (needle: string) =>
    app.fake.callsTo('chat.update').filter((c) => JSON.stringify(c.args).includes(needle));

  beforeAll(async () => {
    [target, bare] = await Promise.all([createTestDatabase('opsbot_e2e_db'), createTestDatabase('opsbot_e2e_bare')]);
    pssLoaded = (
      await queryRows<{ libs: string }>(target.url, `SELECT current_setting('shared_preload_libraries') AS libs`)
    )[0].libs.includes('pg_stat_statements');
    await runSql(
      target.url,
      `CREATE TABLE orders (id int PRIMARY KEY, customer int, note text) WITH (autovacuum_enabled = false)`,
      `INSERT INTO orders SELECT g, g % 50, repeat('n', 80) FROM generate_series(1, 10000) g`,
      `CREATE INDEX orders_customer_idx ON orders (customer)`,
      `DELETE FROM orders WHERE id % 4 <> 0`,
      `CREATE TABLE locked (id int PRIMARY KEY, v int)`,
      `INSERT INTO locked VALUES (1, 0)`,
      // The vacuum tests clean tables of their own, so the statistics of `orders` hold whichever test runs first.
      `CREATE TABLE churn (id int PRIMARY KEY, body text) WITH (autovacuum_enabled = false)`,
      `INSERT INTO churn SELECT g, repeat('c', 20) FROM generate_series(1, 2000) g`,
      `DELETE FROM churn WHERE id % 4 <> 0`,
      `CREATE TABLE slow_churn (id int PRIMARY KEY, body text) WITH (autovacuum_enabled = false)`,
      `INSERT INTO slow_churn SELECT g, repeat('s', 80) FROM generate_series(1, 6000) g`,
      ...(pssLoaded ? ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements', 'SELECT pg_stat_statements_reset()'] : []),
    );
    await runSql(target.url, 'ANALYZE orders', 'SELECT pg_sleep(0.3), count(*) AS e2e_marker FROM orders');
    app = await TestApp.start({
      configYaml: `
probes: { timeout: 1s }
environments:
  prod:
    database: { url: "${withPassword(target.url)}" }
    thresholds: { dbConnectionsPercent: 80 }
  bare:
    database: { url: "${withPassword(bare.url)}" }
  down:
    database: { url: "postgres://app:${PASSWORD}@127.0.0.1:${await freePort()}/app" }
  missing:
    database: { url: "postgres://postgres:${PASSWORD}@127.0.0.1:5432/no_such_db_e2e" }
  nodb: {}
`,
    });
    side = new SideClients(target.url);
  });

  afterAll(async () => {
    await side?.close();
    await app?.stop();
    await Promise.all([target?.drop(), bare?.drop()]);
  });

  it('db connections: count against max_connections with a bar and the threshold', async () => {
    await side.open('idle');
    const reply = await app.ask('db connections prod');
    expect(reply.response_type).toBe('in_channel');
    const t = text(reply);
    expect(t).toMatch(/prod: \d+ of \d+ connections/);
    expect(t).toContain('below the 80% warning line');
    expect(t).toContain('│');
    expect(t).toContain(`${side.tag}-idle`);
    expect(reply.attachments?.[0].color).toBe('#2EB67D');
  });

  it('db activity, db long and db locks: a sleeping query and a blocked update', async () => {
    const sleeper = await side.open('sleeper');
    void side.start(sleeper.client, 'SELECT pg_sleep(20) AS e2e_sleep');
    const holder = await side.open('holder');
    await holder.client.query('BEGIN');
    await holder.client.query('UPDATE locked SET v = 1 WHERE id = 1');
    const waiter = await side.open('waiter');
    void side.start(waiter.client, 'UPDATE locked SET v = 2 WHERE id = 1');
    await waitUntil(
      'the waiter to wait for the lock',
      async () =>
        (
          await queryRows(target.url, `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [
            waiter.pid,
          ])
        ).length === 1,
    );
    await waitUntil(
      'the sleeper to run for over 1s',
      async () =>
        (
          await queryRows(
            target.url,
            `SELECT 1 FROM pg_stat_activity
            WHERE pid = $1 AND state = 'active' AND clock_timestamp() - query_start > interval '1100 milliseconds'`,
            [sleeper.pid],
          )
        ).length === 1,
    );

    const activity = text(await app.ask('db activity prod'));
    expect(activity).toContain(`*pid ${sleeper.pid}*`);
    expect(activity).toContain('pg_sleep(20) AS e2e_sleep');
    expect(activity).toContain('Timeout:PgSleep');

    const long = text(await app.ask('db long prod --over 1s'));
    expect(long).toContain('running longer than 1.0s');
    expect(long).toContain(`*pid ${sleeper.pid}*`);
    expect(text(await app.ask('db long prod --over 10m'))).toContain('no sessions running longer than 10m');
    expect(text(await app.ask('db long prod --over soon'))).toContain('is not a duration');

    const locks = text(await app.ask('db locks prod'));
    expect(locks).toContain('1 query blocked');
    expect(locks).toContain(`blocked by *pid ${holder.pid}*`);
    expect(locks).toContain(`/ops db kill prod ${holder.pid}`);
    await holder.client.query('ROLLBACK');
  });

  it('db slow: statements from pg_stat_statements, and how to enable it where it is missing', async () => {
    const reply = text(await app.ask('db slow prod --by total --limit 5'));
    if (pssLoaded) {
      expect(reply).toContain('top');
      expect(reply).toContain('e2e_marker');
    } else {
      expect(reply).toContain('shared_preload_libraries');
    }
    const missing = text(await app.ask('db slow bare'));
    expect(missing).toContain('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    expect(missing).toContain(pssLoaded ? 'is loaded but not created in this database' : 'parameter group');
    expect(text(await app.ask('db slow prod --by median'))).toContain('`--by` is `mean` or `total`');
  });

  it('db size, tables, indexes, vacuum-stats, bloat and cache describe what was set up', async () => {
    const size = text(await app.ask('db size prod'));
    expect(size).toContain(`database \`${target.name}\` is`);
    expect(size).toContain('*orders*');
    const tables = text(await app.ask('db tables prod --limit 1'));
    expect(tables).toContain('largest 1 of 4 tables');
    expect(tables).toMatch(/orders\s+[\d.]+ [kM]B\s+[\d.]+ [kM]B/);
    expect(tables).toContain('~2,500');
    expect(text(await app.ask('db indexes prod'))).toContain('orders_customer_idx');
    const vacuum = text(await app.ask('db vacuum-stats prod'));
    expect(vacuum).toMatch(/orders\s+7,500\s+75%\s+never/);
    expect(vacuum).toMatch(/autovacuum is disabled on [^\n]*`orders`/);
    expect(text(await app.ask('db bloat prod'))).toMatch(/orders\s+[\d.]+ [kM]B\s+[\d.]+ [kM]B\s+\d+%/);
    expect(text(await app.ask('db cache prod'))).toMatch(/cache hit ratio \d+\.\d%/);
  });

  it('db vacuum: a job whose Slack message ends with what it cleaned', async () => {
    expect(text(await app.ask('db vacuum prod ordrs'))).toContain('Did you mean `orders`?');
    const sent = await app.command('db vacuum prod churn');
    expect(sent.status).toBe(200);
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && JSON.stringify(c.args).includes('vacuumed and analyzed `churn`'),
      { timeoutMs: 10_000 },
    );
    expect(JSON.stringify(updatesContaining('vacuumed and analyzed `churn`').at(-1)!.args)).toContain(
      '1,500 dead tuples cleaned up',
    );
  });

  it('db vacuum: /ops jobs cancel stops the VACUUM on the server', async () => {
    await runSql(
      target.url,
      `ALTER DATABASE ${target.name} SET vacuum_cost_delay = '50ms'`,
      `ALTER DATABASE ${target.name} SET vacuum_cost_limit = 1`,
      'DELETE FROM slow_churn WHERE id % 8 = 0',
    );
    try {
      await app.command('db vacuum prod slow_churn');
      const [running] = await app.fake.waitFor(
        (c) => c.method === 'chat.update' && JSON.stringify(c.args).includes('scanning heap'),
        { timeoutMs: 10_000 },
      );
      const jobId = /jobs cancel (\w+)/.exec(JSON.stringify(running.args))![1];
      expect(text(await app.ask(`jobs cancel ${jobId}`))).toContain('asked to stop');
      await app.fake.waitFor((c) => c.method === 'chat.update' && JSON.stringify(c.args).includes('cancelled by'), {
        timeoutMs: 10_000,
      });
      await waitUntil(
        'VACUUM to stop',
        async () =>
          (
            await queryRows(
              target.url,
              `SELECT 1 FROM pg_stat_progress_vacuum p JOIN pg_stat_activity a USING (pid) WHERE a.datname = $1`,
              [target.name],
            )
          ).length === 0,
        { timeoutMs: 3000 },
      );
    } finally {
      await runSql(
        target.url,
        `ALTER DATABASE ${target.name} RESET vacuum_cost_delay`,
        `ALTER DATABASE ${target.name} RESET vacuum_cost_limit`,
      );
    }
  });

  it('db kill-idle and db kill are not run directly from Slack', async () => {
    const idle = await side.open('victim');
    await waitUntil(
      'the victim to be idle for over 1s',
      async () =>
        (
          await queryRows(
            target.url,
            `SELECT 1 FROM pg_stat_activity
            WHERE pid = $1 AND state = 'idle' AND clock_timestamp() - state_change > interval '1100 milliseconds'`,
            [idle.pid],
          )
        ).length === 1,
    );
    const killIdle = await app.ask('db kill-idle prod --older 1s');
    expect(text(killIdle)).toMatch(/approv/i);
    const kill = await app.ask(`db kill prod ${idle.pid}`);
    expect(text(kill)).toMatch(/approv/i);
    // Both requests are recorded as waiting for approval, the gate's last step; neither ran.
    const audited = await waitUntil('both approval requests in the audit log', async () => {
      const entries = (await app.runtime.services.audit.recent(50)).filter(
        (a) => a.command === 'db kill-idle' || a.command === 'db kill',
      );
      return entries.filter((a) => a.outcome === 'approval_requested').length === 2 && entries;
    });
    expect(audited.map((a) => a.outcome).sort()).toEqual(['approval_requested', 'approval_requested']);
    expect((await queryRows(target.url, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [idle.pid])).length).toBe(1);
  });

  it('names unreachable and misconfigured databases without ever showing the password', async () => {
    const started = Date.now();
    const down = text(await app.ask('db connections down'));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(down).toMatch(/`down` database \(127\.0\.0\.1:\d+\) unreachable/);
    expect(text(await app.ask('db size missing'))).toContain('database "no_such_db_e2e" does not exist');
    expect(text(await app.ask('db size nodb'))).toContain('Environment `nodb` has no database configured');
    for (const reply of app.fake.responses) expect(JSON.stringify(reply.body)).not.toContain(PASSWORD);
    for (const call of app.fake.calls) expect(JSON.stringify(call.args)).not.toContain(PASSWORD);
    expect(app.logs.text()).not.toContain(PASSWORD);
  });
});
