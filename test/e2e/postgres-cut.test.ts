import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, sql, type TestDatabase } from '../support/databases.js';
import { startFaultProxy, targetOf, viaProxy, type FaultProxy } from '../support/fault-proxy.js';
import { TestApp, replyText, readyz as readyzOf } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// Issue 20: the bot's own Postgres is cut (connections closed, new ones refused) for 15 s while commands
// arrive. Every command is answered within Slack's 3 s deadline, the store-bound ones say so, diagnostics of
// another database still work, nothing gated half-happens, and the spooled audit rows are written once.

const STORE_DOWN = "opsbot's database is unreachable: audit and approvals are paused";
const CUT_MS = 15_000;

describe("the bot's Postgres is cut (closed and refused) for 15 s while commands arrive", () => {
  let db: TestDatabase;
  let target: TestDatabase;
  let proxy: FaultProxy;
  let app: TestApp;
  let idle: pg.Client;
  beforeAll(async () => {
    [db, target] = await Promise.all([createTestDatabase('opsbot_pg_cut'), createTestDatabase('opsbot_pg_cut_app')]);
    proxy = await startFaultProxy({ target: targetOf(db.url, 5432) });
    // The bot reaches its own database only through the proxy; `prod`'s database is reached directly.
    app = await TestApp.start({
      reuse: undefined,
      env: { databaseUrl: viaProxy(db.url, proxy) },
      configYaml: `
probes: { timeout: 1s }
environments:
  prod:
    database: { url: "${target.url}" }
`,
    });
    idle = new pg.Client({ connectionString: target.url }); // a session for `db kill-idle` to plan to end
    await idle.connect();
  });
  afterAll(async () => {
    await idle?.end().catch(() => undefined);
    await app?.stop();
    await proxy?.close();
    await Promise.all([db?.drop(), target?.drop()]);
  }, 60_000);

  const readyz = () => readyzOf(app.baseUrl);
  const auditRows = async (actor: string) =>
    ((await sql(db.url, 'SELECT command FROM audit_log WHERE actor_id = $1', [actor])) as { command: string }[])
      .map((r) => r.command)
      .sort();
  const approvalCards = () =>
    [...app.fake.calls.map((c) => c.args), ...app.fake.responses.map((p) => p.body)].filter((m) =>
      JSON.stringify(m).includes('approval.approve'),
    );
  /** Sends `/ops <text>` signed; the ack's and the reply's times, measured from the send. */
  const timed = async (text: string) => {
    const started = Date.now();
    const sent = await app.command(text, { userId: 'U0CUT', channelId: 'C0CUT' });
    const ackMs = Date.now() - started;
    expect(sent.status).toBe(200);
    const [post] = await app.fake.waitForResponse((p) => p.id === sent.responseId, { timeoutMs: 6000 });
    return {
      text,
      ackMs,
      replyMs: Date.now() - started,
      reply: replyText(post.body as Parameters<typeof replyText>[0]),
    };
  };

  it('answers every command within 3 s during the cut, refuses approvals cleanly, and recovers by itself', async () => {
    const pid = (idle as unknown as { processID: number }).processID;
    await waitUntil(
      'the idle session to be idle for over 1 s',
      async () =>
        (
          await sql(
            target.url,
            `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'idle'
              AND clock_timestamp() - state_change > interval '1100 milliseconds'`,
            [pid],
          )
        ).length === 1,
      { timeoutMs: 5000 },
    );
    expect(replyText(await app.ask('help', { userId: 'U0BEFORE' }))).not.toContain(STORE_DOWN);

    proxy.cut();
    const cutAt = Date.now();
    await waitUntil('/readyz to name Postgres', async () =>
      (await readyz()).down.some((d) => d.startsWith('postgres')),
    );

    const script = ['help', 'health prod', 'alerts', 'db connections prod', 'db kill-idle prod --older 1s'];
    const results: Awaited<ReturnType<typeof timed>>[] = [];
    // About one command a second for 15 s, each awaited: the next goes when its slot comes.
    for (let i = 0; Date.now() - cutAt < CUT_MS; i += 1) {
      results.push(await timed(script[i % script.length]));
      const slot = cutAt + (i + 1) * 1000;
      await waitUntil('the next send slot', () => Date.now() >= slot, { timeoutMs: 2000, intervalMs: 20 });
    }
    expect((await readyz()).down.some((d) => d.startsWith('postgres'))).toBe(true);
    proxy.restore();
    const restoredAt = Date.now();

    const summary = results.map((r) => `${r.text}: ack ${r.ackMs} ms, reply ${r.replyMs} ms`);
    console.info(`postgres cut, ${results.length} commands:\n  ${summary.join('\n  ')}`);
    expect(results.length).toBeGreaterThanOrEqual(12);
    for (const r of results) {
      expect(r.ackMs, r.text).toBeLessThan(3000);
      expect(r.replyMs, r.text).toBeLessThan(3000);
    }
    const of = (text: string) => results.filter((r) => r.text === text);
    for (const r of of('help')) expect(r.reply).not.toContain(STORE_DOWN);
    for (const r of of('health prod')) expect(r.reply).not.toContain(STORE_DOWN);
    for (const r of of('alerts')) expect(r.reply).toContain(STORE_DOWN);
    for (const r of of('db connections prod')) expect(r.reply).toMatch(/prod: \d+ of \d+ connections/);
    for (const r of of('db kill-idle prod --older 1s')) expect(r.reply).toContain(STORE_DOWN);
    expect(of('db kill-idle prod --older 1s').length).toBeGreaterThanOrEqual(2);
    expect(approvalCards()).toHaveLength(0);
    const alive = async () => (await sql(target.url, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).length;
    expect(await alive()).toBe(1); // the session kill-idle planned to end lives

    // Back: ready within 30 s, a new command works, and each command of the cut has exactly one audit row.
    await waitUntil('/readyz to answer 200', async () => (await readyz()).status === 200, { timeoutMs: 30_000 });
    const readyMs = Date.now() - restoredAt;
    expect(replyText(await app.ask('alerts', { userId: 'U0AFTER' }))).not.toContain(STORE_DOWN);
    // The refusal was the gate's: with the store back, the same request gets its approval card.
    expect(replyText(await app.ask('db kill-idle prod --older 1s', { userId: 'U0AFTER' }))).toMatch(/approv/i);
    await waitUntil('the approval card', () => approvalCards().length === 1);
    expect(await alive()).toBe(1);
    const expected = results.map((r) => r.text.split(' --')[0].replace(/ prod$/, '')).sort();
    const rows = await waitUntil(
      'the spooled audit rows of the cut to be written',
      async () => {
        const r = await auditRows('U0CUT');
        return r.length >= expected.length && r;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(rows).toEqual(expected);
    expect(app.runtime.audit.backlog).toBe(0);
    expect(await auditRows('U0CUT')).toHaveLength(expected.length); // written once, not again on a later flush
    console.info(`postgres cut: /readyz 200 ${readyMs} ms after the restore`);
  }, 90_000);
});
