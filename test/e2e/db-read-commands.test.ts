import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { runSql } from '../support/pg-fixtures.js';

/** db explain, db missing-indexes, query and db size through signed Slack requests and the real runtime. */
describe('/ops db read commands end to end', () => {
  let app: TestApp;
  let target: TestDatabase;
  const text = (reply: Parameters<typeof replyText>[0]) => `${reply.text}\n${replyText(reply)}`;

  beforeAll(async () => {
    target = await createTestDatabase('opsbot_e2e_dbread');
    await runSql(
      target.url,
      `CREATE TABLE meetings (id int PRIMARY KEY, expert int, starts_at timestamptz)`,
      `INSERT INTO meetings SELECT g, g % 300, now() - (g % 72) * interval '1 hour' FROM generate_series(1, 20000) g`,
      'ANALYZE meetings',
    );
    await runSql(
      target.url,
      ...Array.from({ length: 55 }, (_, i) => `SELECT count(*) FROM meetings WHERE expert = ${i}`),
    );
    app = await TestApp.start({
      configYaml: `
probes: { timeout: 1s }
environments:
  prod:
    database: { url: "${target.url}" }
queries:
  meetings-today: { sql: "select count(*) as meetings from meetings where starts_at > now() - interval '1 day'", env: prod, description: Meetings in the last day }
`,
    });
  });

  afterAll(async () => {
    await app?.stop();
    await target?.drop();
  });

  it('db explain answers with the plan, and refuses a second statement with the reason', async () => {
    const plan = text(await app.ask('db explain prod "select * from meetings where expert = 4"'));
    expect(plan).toContain('Costliest nodes');
    expect(plan).toContain('Seq Scan meetings');
    const refused = text(await app.ask('db explain "select 1; drop table meetings"'));
    expect(refused).toContain('more than one statement');
  });

  it('db missing-indexes names the table and a column', async () => {
    const t = text(await app.ask('db missing-indexes'));
    expect(t).toMatch(/1 table may be missing an index/);
    expect(t).toContain('meetings');
  });

  it('query runs the saved query; db size starts its history', async () => {
    expect(text(await app.ask('query meetings-today'))).toMatch(/meetings-today on prod: meetings \d+/);
    expect(text(await app.ask('db size'))).toContain('1 daily sample so far');
  });

  it('db reindex rebuilds a table concurrently as a job, and refuses REINDEX DATABASE with the lock explained', async () => {
    await app.command('db reindex prod meetings');
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && JSON.stringify(c.args).includes('rebuilt 1 index of `meetings`'),
      { timeoutMs: 20_000 },
    );
    const refused = text(await app.ask('db reindex database'));
    expect(refused).toContain('Refusing to REINDEX DATABASE');
    expect(refused).toContain('SHARE lock');
  });
});
