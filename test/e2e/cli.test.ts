import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../support/databases.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

/** Runs the real `opsbot` entry point as a child process; resolves with its exit code and output. */
async function opsbot(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each test starts one or two child processes (tsx compiles on start-up, ~5 s on a busy 2-core machine), each
// allowed 30 s: the test timeout must cover two of them, not vitest's default 20 s.
describe('opsbot CLI', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    db = await createTestDatabase('opsbot_cli');
    redis = createTestRedis('opsbot-cli');
    dir = mkdtempSync(join(tmpdir(), 'opsbot-cli-'));
    writeFileSync(join(dir, 'ops.yml'), 'environments:\n  prod:\n    redis: { url: "redis://127.0.0.1:6379" }\n');
    writeFileSync(
      join(dir, 'broken.yml'),
      'environments:\n  prod:\n    health:\n      - { name: api, url: "nope" }\n    redis: { url: "${MISSING_REDIS_URL}" }\n',
    );
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      OPSBOT_REDIS_PREFIX: redis.prefix,
      OPS_CONFIG: join(dir, 'ops.yml'),
      LOG_LEVEL: 'silent',
    };
  });
  afterAll(async () => {
    await db?.drop();
    await redis?.cleanup();
  });

  it('check-config names every bad field and exits non-zero', async () => {
    const result = await opsbot(['check-config'], { ...env, OPS_CONFIG: join(dir, 'broken.yml') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('environments.prod.health[0].url: expected an http(s) URL');
    expect(result.stderr).toContain('environments.prod.redis.url: environment variable MISSING_REDIS_URL is not set');
  });

  it('check-config passes a good file', async () => {
    const result = await opsbot(['check-config'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid: 1 environment (prod)');
  });

  it('migrate creates the schema, and says so when there is nothing to do', async () => {
    expect((await opsbot(['migrate'], env)).stdout).toMatch(/applied: .*audit-log|database is up to date/);
    expect((await opsbot(['migrate'], env)).stdout).toContain('database is up to date');
  });

  it('run prints a command reply as text, and as Block Kit JSON with --json', async () => {
    const text = await opsbot(['run', 'health prod'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('prod is healthy');
    expect(text.stdout).toMatch(/redis \(Redis\).*Redis \d/);
    const json = await opsbot(['run', 'help', '--json'], env);
    expect(JSON.parse(json.stdout).blocks[0].type).toBe('header');
  });

  it('run audits the command as the terminal user, or as --as', async () => {
    await opsbot(['run', 'jobs', '--as', 'U0TERMINAL'], env);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT source, actor_id, command, outcome FROM audit_log WHERE actor_id = 'U0TERMINAL'",
    );
    await client.end();
    expect(rows).toEqual([{ source: 'cli', actor_id: 'U0TERMINAL', command: 'jobs', outcome: 'ok' }]);
  });

  it('run exits non-zero with the suggestion on a typo', async () => {
    const result = await opsbot(['run', 'helth'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Did you mean health?');
  });

  it('refuses to serve without a valid environment, naming the variable', async () => {
    const result = await opsbot(['serve'], { ...env, SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SLACK_SIGNING_SECRET: required in HTTP mode');
  });

  it("run answers help without opsbot's own database, and names DATABASE_URL (issue 14, case 5)", async () => {
    // No USER in the environment and a URL without a user name: pg refuses with "no PostgreSQL user name".
    const result = await opsbot(['run', 'help'], { ...env, DATABASE_URL: 'postgres://127.0.0.1:5432/opsbot_nobody' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('/ops health');
    expect(result.stderr).toContain(
      "opsbot's own database is unreachable (DATABASE_URL=postgres://127.0.0.1:5432/opsbot_nobody)",
    );
    expect(result.stderr).toContain('set DATABASE_URL');
  });
});
