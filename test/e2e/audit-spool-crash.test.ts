import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRepository } from '../../src/store/audit.js';
import { createPool } from '../../src/store/pool.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startFaultProxy, targetOf, viaProxy, type FaultProxy } from '../support/fault-proxy.js';
import { OpsbotProcess } from '../support/opsbot-process.js';
import { postToSlackEndpoint, slashCommandBody } from '../support/slack-request.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// Audit rows spooled while the bot's Postgres hangs are on disk (OPSBOT_AUDIT_SPOOL), so a process killed
// then loses none: the next one writes them through the hash chain, once each, and empties the file.

describe('the audit spool survives SIGKILL', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let fake: FakeSlack;
  let proxy: FaultProxy;
  let dir: string;
  let spoolPath: string;
  let configPath: string;
  const bots: OpsbotProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('opsbot_spool_crash');
    redis = createTestRedis('opsbot-spool-crash');
    fake = await startFakeSlack();
    proxy = await startFaultProxy({ target: targetOf(db.url, 5432) });
    dir = mkdtempSync(join(tmpdir(), 'opsbot-spool-crash-'));
    spoolPath = join(dir, 'audit-spool.jsonl');
    configPath = join(dir, 'ops.yml');
    writeFileSync(configPath, 'environments:\n  local:\n    health: []\n');
  });
  afterAll(async () => {
    for (const bot of bots) await bot.stop('SIGKILL').catch(() => undefined);
    await proxy?.close();
    await fake?.close();
    await db?.drop();
    await redis?.cleanup();
  }, 30_000);

  const start = (databaseUrl: string) => {
    const bot = OpsbotProcess.start(['serve'], {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      OPSBOT_REDIS_PREFIX: redis.prefix,
      OPS_CONFIG: configPath,
      OPSBOT_AUDIT_SPOOL: spoolPath,
    });
    bots.push(bot);
    return bot;
  };
  const send = async (baseUrl: string, text: string) => {
    const responseId = `r${Math.random().toString(36).slice(2, 10)}`;
    const body = slashCommandBody({
      text,
      userId: 'U0SPOOL',
      channelId: 'C0OPS',
      responseUrl: fake.responseUrl(responseId),
      triggerId: `trigger-${Math.random().toString(36).slice(2)}`,
    });
    expect((await postToSlackEndpoint(baseUrl, SIGNING_SECRET, body)).status).toBe(200);
    await fake.waitForResponse((p) => p.id === responseId, { timeoutMs: 8000 });
  };
  const spooledLines = () =>
    existsSync(spoolPath)
      ? readFileSync(spoolPath, 'utf8')
          .split('\n')
          .filter((l) => l.includes('U0SPOOL'))
      : [];
  const auditRows = async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT command, text, detail FROM audit_log WHERE actor_id = 'U0SPOOL' ORDER BY id`,
      );
      return rows as { command: string; text: string; detail: { occurredAt?: string; spoolId?: string } }[];
    } finally {
      await client.end();
    }
  };

  it('writes rows spooled by a killed process exactly once, in the hash chain, when the next one starts', async () => {
    const first = start(viaProxy(db.url, proxy));
    const baseUrl = await first.listening();
    proxy.stall();
    await send(baseUrl, 'help postgres://admin:hunter2-secret@db.internal:5432/orders');
    await send(baseUrl, 'health local');
    await waitUntil('both rows in the spool file', () => spooledLines().length === 2);
    expect(readFileSync(spoolPath, 'utf8')).not.toContain('hunter2-secret');
    first.child.kill('SIGKILL');
    await waitUntil('the first process to die', () => !first.running);
    expect(await auditRows()).toEqual([]);

    proxy.restore();
    const second = start(db.url);
    await second.listening();
    expect(second.logged('replaying audit rows spooled by an earlier process')[0]?.rows).toBe(2);
    const rows = await waitUntil('the spooled rows in the audit log', async () => {
      const r = await auditRows();
      return r.length >= 2 && r;
    });
    await waitUntil('the spool file emptied', () => !existsSync(spoolPath) || statSync(spoolPath).size === 0);
    expect(await auditRows()).toHaveLength(2);
    expect(rows.map((r) => r.command)).toEqual(['help', 'health']);
    expect(rows[0].text).not.toContain('hunter2-secret');
    expect(rows.every((r) => typeof r.detail.occurredAt === 'string' && typeof r.detail.spoolId === 'string')).toBe(
      true,
    );

    const pool = createPool(db.url, { max: 1 });
    try {
      expect(await new AuditRepository(pool).verify()).toMatchObject({ ok: true });
    } finally {
      await pool.end();
    }
    await second.stop('SIGTERM');
  }, 120_000);
});
