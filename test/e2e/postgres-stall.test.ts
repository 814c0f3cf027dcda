import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, sql } from '../support/databases.js';
import { startFaultProxy, targetOf, viaProxy, type FaultProxy } from '../support/fault-proxy.js';
import { TestApp, replyText, readyz as readyzOf } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

describe("the bot's Postgres hangs (packets dropped)", () => {
  let db: TestDatabase;
  let proxy: FaultProxy;
  let app: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase('opsbot_pg_stall');
    proxy = await startFaultProxy({ target: targetOf(db.url, 5432) });
    // The app reaches its database only through the proxy; the test reads it directly.
    const viaProxyDb = { ...db, url: viaProxy(db.url, proxy) };
    app = await TestApp.start({ reuse: undefined, env: { databaseUrl: viaProxyDb.url } });
  });
  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
    await db?.drop();
  }, 60_000);

  const readyz = () => readyzOf(app.baseUrl);
  const auditRows = async (actor: string) =>
    (await sql(db.url, 'SELECT command, detail FROM audit_log WHERE actor_id = $1', [actor])) as {
      command: string;
      detail: { occurredAt?: string };
    }[];

  it('replies within the bound, says the store is down, spools the audit rows and writes them when it is back', async () => {
    expect((await app.ask('help', { userId: 'U0BEFORE' })).response_type).toBeDefined();
    proxy.stall();
    await waitUntil('/readyz to name Postgres', async () =>
      (await readyz()).down.some((d) => d.startsWith('postgres')),
    );

    const started = Date.now();
    const help = await app.ask('help', { userId: 'U0DURING', timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(3000); // the audit write is bounded, not awaited for ever
    expect(replyText(help)).not.toContain('unreachable');

    const alertsStarted = Date.now();
    const alerts = await app.ask('alerts', { userId: 'U0DURING', timeoutMs: 6000 });
    expect(Date.now() - alertsStarted).toBeLessThan(5000);
    expect(replyText(alerts)).toContain("opsbot's database is unreachable: audit and approvals are paused");
    expect(app.runtime.audit.backlog).toBeGreaterThanOrEqual(2);

    proxy.restore();
    await waitUntil('/readyz to answer 200', async () => (await readyz()).status === 200, { timeoutMs: 20_000 });
    const rows = await waitUntil(
      'the spooled audit rows to be written',
      async () => {
        const r = await auditRows('U0DURING');
        return r.length === 2 && r;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(rows.map((r) => r.command).sort()).toEqual(['alerts', 'help']);
    expect(rows.every((r) => typeof r.detail.occurredAt === 'string')).toBe(true);
    expect(app.runtime.audit.backlog).toBe(0);
  }, 90_000);
});
