/**
 * Memory of `opsbot serve` (with its in-process worker) as production runs it, beside
 * the way `npm start` used to run it, in the same run: RSS idle (after start-up settles)
 * and peak RSS through a 10,000-notification storm (200 CloudWatch alarms posted to the
 * alert webhook as fast as it accepts them, fake Slack at ~1 message/s per channel, until
 * every alarm is counted and every alert message is in Slack).
 * Targets: 150 MB idle, 250 MB during the storm (issue 20, item 8).
 *
 *   npm run bench:memory [-- --notifications 10000] [--alarms 200] [--concurrency 64]
 *                        [--variants compiled,compiled-default-heap,tsx] [--no-build]
 *
 * RSS is read from /proc/<pid>/status (VmRSS; VmHWM is the kernel's high-water mark).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createTestDatabase, createTestRedis } from '../test/support/databases.js';
import { startFakeSlack, type FakeSlack } from '../test/support/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/support/test-app.js';
import { alarmMessage } from '../test/fixtures/alerts/sns-signer.js';

const { values } = parseArgs({
  options: {
    notifications: { type: 'string', default: '10000' },
    alarms: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '64' },
    variants: { type: 'string', default: 'compiled,compiled-default-heap,tsx' },
    'no-build': { type: 'boolean', default: false },
  },
});
const total = Number(values.notifications);
const alarmCount = Number(values.alarms);
const concurrency = Number(values.concurrency);
const TARGET_IDLE_MB = 150;
const TARGET_STORM_MB = 250;
const root = new URL('..', import.meta.url).pathname;

/** How each variant starts the bot (node's arguments before `serve`). */
const VARIANTS: Record<string, { label: string; args: string[] }> = {
  compiled: {
    label: 'compiled JS, as `npm start` and the Docker image run it',
    args: ['--max-semi-space-size=8', 'dist/src/main.js'],
  },
  'compiled-default-heap': { label: 'compiled JS, node defaults', args: ['dist/src/main.js'] },
  /** `--variants custom` with BENCH_NODE_ARGS="--flag … dist/src/main.js", to try a node option. */
  custom: { label: 'BENCH_NODE_ARGS', args: (process.env.BENCH_NODE_ARGS ?? 'dist/src/main.js').split(' ') },
  tsx: {
    label: 'tsx on the sources (`npm run start:dev`, the old `npm start`)',
    args: ['--import', 'tsx', 'src/main.ts'],
  },
};

const TOKEN = 'bench-memory-token';
const CONFIG = `
environments:
  prod: { region: us-east-1 }
channels: { alerts: C0ALERTS }
alerts:
  webhookToken: ${TOKEN}
  routes:
    - { match: { alarmName: "bench-db-*" }, channel: C0DB, severity: P1 }
    - { match: { alarmName: "bench-api-*" }, channel: C0API, severity: P2 }
    - { match: { alarmName: "bench-queue-*" }, channel: C0QUEUE, severity: P3 }
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

interface Result {
  variant: string;
  idleMb: number;
  stormPeakMb: number;
  hwmMb: number;
  sendSeconds: number;
  drainedSeconds: number;
  accepted: number;
  counted: number;
}

async function measure(variant: string, fake: FakeSlack, dir: string): Promise<Result> {
  const db = await createTestDatabase('opsbot_bench_memory');
  const redis = createTestRedis('opsbot-bench-memory');
  const child = spawn(process.execPath, [...VARIANTS[variant].args, 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      OPSBOT_REDIS_PREFIX: redis.prefix,
      OPS_CONFIG: join(dir, 'ops.yml'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code, signal) => reject(new Error(`${variant}: opsbot exited (${code ?? signal})`))),
  );
  const port = await Promise.race([
    exited,
    new Promise<number>((resolve) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /"port":(\d+)[^\n]*"msg":"opsbot is listening"/.exec(out);
        if (m) resolve(Number(m[1]));
        if (out.length > 1e6) out = out.slice(-1e4);
      });
    }),
  ]);
  const pid = child.pid!;

  // Idle: let start-up settle, then the median of ten samples a second apart.
  await sleep(5000);
  const idle: number[] = [];
  for (let i = 0; i < 10; i++, await sleep(1000)) idle.push(memory(pid).rss);
  idle.sort((a, b) => a - b);
  const idleMb = (idle[4] + idle[5]) / 2;

  let stormPeakMb = 0;
  const sampler = setInterval(() => (stormPeakMb = Math.max(stormPeakMb, memory(pid).rss)), 100);
  const families = ['db', 'api', 'queue', 'misc'];
  const bodies = Array.from({ length: alarmCount }, (_, i) =>
    alarmMessage(`bench-${families[i % families.length]}-alarm-${String(i).padStart(3, '0')}`, 'ALARM'),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        `http://127.0.0.1:${port}/alerts/webhook`,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let accepted = 0;
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) if ((await post(bodies[i % alarmCount])) === 202) accepted++;
    }),
  );
  const sendSeconds = (Date.now() - started) / 1000;

  // Drained: every accepted notification counted and every alert message synced to Slack.
  const sql = new pg.Pool({ connectionString: db.url, max: 1 });
  let counted = 0;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(250)) {
    const { rows } = await sql.query(
      `SELECT (SELECT COALESCE(sum(count), 0)::int FROM alerts) AS counted,
              (SELECT count(*)::int FROM alert_messages WHERE synced_version < version) AS unsynced`,
    );
    counted = rows[0].counted;
    if (counted >= accepted && rows[0].unsynced === 0) break;
  }
  const drainedSeconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const { hwm } = memory(pid);
  agent.destroy();
  child.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  await sql.end();
  await db.drop();
  await redis.cleanup();
  return { variant, idleMb, stormPeakMb, hwmMb: hwm, sendSeconds, drainedSeconds, accepted, counted };
}

async function main(): Promise<void> {
  const variants = values.variants.split(',').filter(Boolean);
  for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant "${v}": ${Object.keys(VARIANTS)}`);
  if (!values['no-build'] && variants.some((v) => v.startsWith('compiled'))) {
    console.error('building dist/ (npm run build)…');
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-memory-'));
  writeFileSync(join(dir, 'ops.yml'), CONFIG);
  const results: Result[] = [];
  // One bot at a time, so they do not compete for the CPU; a fresh fake Slack each (its history grows).
  for (const variant of variants) {
    const fake = await startFakeSlack();
    fake.enforceChannelRate({ perSecond: 1, burst: 3 });
    console.error(`${variant}: ${VARIANTS[variant].label}…`);
    results.push(await measure(variant, fake, dir));
    await fake.close();
  }

  const mb = (n: number) => `${n.toFixed(0)} MB`.padStart(7);
  console.log(`\nopsbot serve memory, ${total} notifications for ${alarmCount} alarms (Node ${process.version})`);
  console.log(
    `${'variant'.padEnd(24)}${'idle RSS'.padStart(10)}${'storm peak'.padStart(12)}${'VmHWM'.padStart(9)}  storm`,
  );
  for (const r of results) {
    const ok = r.idleMb <= TARGET_IDLE_MB && r.stormPeakMb <= TARGET_STORM_MB ? 'within' : 'MISSES';
    console.log(
      `${r.variant.padEnd(24)}${mb(r.idleMb).padStart(10)}${mb(r.stormPeakMb).padStart(12)}${mb(r.hwmMb).padStart(9)}` +
        `  ${r.accepted} accepted in ${r.sendSeconds.toFixed(1)} s, ${r.counted} counted, drained at ${r.drainedSeconds.toFixed(1)} s  ${ok} targets`,
    );
  }
  console.log(`${'target'.padEnd(24)}${mb(TARGET_IDLE_MB).padStart(10)}${mb(TARGET_STORM_MB).padStart(12)}`);
  console.log(JSON.stringify(results));
  const production = results.find((r) => r.variant === 'compiled');
  const lost = results.some((r) => r.counted < r.accepted || r.accepted < total);
  const pass =
    !lost && (!production || (production.idleMb <= TARGET_IDLE_MB && production.stormPeakMb <= TARGET_STORM_MB));
  console.log(pass ? 'PASS: compiled JS within both targets' : 'FAIL: a target was missed or notifications lost');
  process.exit(pass ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
