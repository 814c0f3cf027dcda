import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../support/databases.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { OpsbotProcess } from '../support/opsbot-process.js';
import { BOT_TOKEN, MINIMAL_CONFIG, SIGNING_SECRET } from '../support/test-app.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const tsc = join(root, 'node_modules/typescript/bin/tsc');

/**
 * Production runs compiled JavaScript (`npm run build`, then `node dist/src/main.js`): this builds the same
 * way into a folder of its own (not dist/, which a developer may be using) and runs the result with plain node.
 */
describe('the compiled build', () => {
  const outDir = join(root, '.cache', `build-test-${randomBytes(4).toString('hex')}`);
  const main = join(outDir, 'src/main.js');
  let db: TestDatabase;
  let redis: TestRedis;
  let fake: FakeSlack;
  let bot: OpsbotProcess | undefined;
  let configPath: string;
  beforeAll(async () => {
    db = await createTestDatabase('opsbot_compiled');
    redis = createTestRedis('opsbot-compiled');
    fake = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-compiled-'));
    configPath = join(dir, 'ops.yml');
    writeFileSync(configPath, MINIMAL_CONFIG);
    // The two steps of `npm run build`, pointed at outDir.
    await run(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--tsBuildInfoFile', join(outDir, '.tsbuildinfo')],
      { cwd: root },
    );
    await run(process.execPath, [join(outDir, 'src/cli/copy-assets.js'), outDir], { cwd: root });
  }, 60_000);
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await fake?.close();
    await db?.drop();
    await redis?.cleanup();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('holds the entry point and the files read at run time, and no tests', () => {
    expect(existsSync(main)).toBe(true);
    expect(existsSync(join(outDir, 'src/store/migrations/1763900000000_audit-log.sql'))).toBe(true);
    expect(existsSync(join(outDir, 'src/sandbox/playground/static/index.html'))).toBe(true);
    expect(existsSync(join(outDir, 'test'))).toBe(false);
  });

  it('`check-config` validates ops.yml with plain node', async () => {
    const { stdout } = await run(process.execPath, [main, 'check-config'], {
      cwd: root,
      env: { PATH: process.env.PATH, OPS_CONFIG: configPath },
    });
    expect(stdout).toContain(`${configPath} is valid: 2 environments (prod, staging)`);
  });

  it('`serve` migrates from the copied SQL, answers /healthz and /readyz, and stops on SIGTERM', async () => {
    bot = OpsbotProcess.start(
      ['serve'],
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        OPSBOT_REDIS_PREFIX: redis.prefix,
        OPS_CONFIG: configPath,
      },
      [main],
    );
    const baseUrl = await bot.listening();
    const health = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
    const ready = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
    expect(ready.status).toBe(200);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM opsbot_migrations');
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }

    await bot.stop('SIGTERM');
    expect(bot.exitCode).toBe(0);
  }, 45_000);
});
