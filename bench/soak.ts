/**
 * Soak: a real `opsbot serve` child process (the entry point, TypeScript through tsx as `npm start` runs it)
 * under a steady mix for 30 minutes (10 with --quick, or --minutes N): signed slash commands (help, db
 * diagnostics), webhook alert notifications (firing and resolved, 40 distinct alarms) and `db reindex` jobs
 * against a small table in a local Postgres. Every minute it prints the bot's RSS, heap used, event-loop lag
 * p99 and active handles (scraped from its /metrics), its Postgres connections (pg_stat_activity for the bot's
 * database) and its Redis connections (CLIENT LIST entries whose address is one of the child's sockets).
 * At the end a least-squares line is fitted over the last two thirds of the RSS samples: growth above
 * 1 MB/min fails the run (exit 1).
 *
 *   npm run bench:soak [-- --quick | --minutes N]
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createTestDatabase, createTestRedis, PG_ADMIN_URL } from '../test/support/databases.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { OpsbotProcess } from '../test/support/opsbot-process.js';
import { postToSlackEndpoint, slashCommandBody } from '../test/support/slack-request.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/support/test-app.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    'sample-seconds': { type: 'string', default: '60' },
  },
});
const minutes = Number(values.minutes ?? (values.quick ? 10 : 30));
const sampleMs = Number(values['sample-seconds']) * 1000;
const LIMIT_MB_PER_MIN = 1;

interface Sample {
  minute: number;
  rssMb: number;
  heapMb: number;
  lagP99Ms: number;
  handles: number;
  pgConnections: number;
  redisConnections: number;
  commands: number;
  alerts: number;
  jobs: number;
  errors: number;
}

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/** Local ports of the child's TCP sockets connected to `remotePort` (from /proc: Linux). */
function socketPorts(pid: number, remotePort: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // the fd closed while we looked
    }
  }
  const ports = new Set<number>();
  for (const file of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${file}`, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9])) continue;
      if (parseInt(f[2].split(':')[1], 16) === remotePort) ports.add(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports;
}

async function main(): Promise<void> {
  const target = await createTestDatabase('opsbot_soak_target');
  const setup = new pg.Client({ connectionString: target.url });
  await setup.connect();
  await setup.query('CREATE TABLE orders (id int PRIMARY KEY, customer int, note text)');
  await setup.query('CREATE INDEX orders_customer_idx ON orders (customer)');
  await setup.query('INSERT INTO orders SELECT g, g % 100, md5(g::text) FROM generate_series(1, 5000) g');
  await setup.end();
  const db = await createTestDatabase('opsbot_soak');
  const redisNs = createTestRedis('opsbot-soak');
  const fake = await startFakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-soak-'));
  const configPath = join(dir, 'ops.yml');
  writeFileSync(
    configPath,
    [
      'environments:',
      `  local: { database: { url: "${target.url}" } }`,
      'channels: { alerts: C0ALERTS }',
      'alerts:',
      '  webhookToken: soak-token',
      '  groupWindow: 2s',
      '',
    ].join('\n'),
  );
  const bot = OpsbotProcess.start(['serve'], {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: redisNs.url,
    OPSBOT_REDIS_PREFIX: redisNs.prefix,
    OPS_CONFIG: configPath,
    LOG_LEVEL: 'info',
  });
  const baseUrl = await bot.listening(60_000);
  const pid = bot.child.pid!;
  const sql = new pg.Pool({ connectionString: PG_ADMIN_URL, max: 1 });
  const redis = new Redis(redisNs.url);
  const redisPort = Number(new URL(redisNs.url).port || 6379);
  console.log(`soak: opsbot serve pid ${pid} at ${baseUrl}, ${minutes} min, a sample every ${sampleMs / 1000} s`);

  const counts = { commands: 0, alerts: 0, jobs: 0, errors: 0 };
  const texts = ['help', 'db connections local', 'db size local', 'db tables local', 'db locks local'];
  let tick = 0;
  const command = async (text: string) => {
    const body = slashCommandBody({ text, userId: 'U0SOAK', channelId: 'C0OPS', responseUrl: fake.responseUrl() });
    const res = await postToSlackEndpoint(baseUrl, SIGNING_SECRET, body);
    if (res.status !== 200) counts.errors++;
  };
  const alert = async (i: number) => {
    const key = `soak-alarm-${String(i % 40).padStart(2, '0')}`;
    const res = await fetch(`${baseUrl}/alerts/webhook`, {
      method: 'POST',
      headers: { authorization: 'Bearer soak-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'soak',
        key,
        title: key,
        severity: 'warning',
        state: Math.floor(i / 40) % 2 ? 'resolved' : 'firing',
      }),
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    if (res.status !== 202) counts.errors++;
  };
  // Per second: 2 commands and 5 notifications; every 20 s a reindex job (CONCURRENTLY, so no approval).
  const load = setInterval(() => {
    tick++;
    const work: Promise<void>[] = [];
    for (let i = 0; i < 2; i++)
      work.push(command(texts[(tick * 2 + i) % texts.length]).then(() => void counts.commands++));
    for (let i = 0; i < 5; i++) work.push(alert(tick * 5 + i).then(() => void counts.alerts++));
    if (tick % 20 === 0) work.push(command('db reindex local orders').then(() => void counts.jobs++));
    void Promise.all(work).catch(() => void counts.errors++);
    // The fake Slack keeps what it received; the soak needs none of it (bounded memory in this process).
    fake.calls.length = 0;
    fake.responses.length = 0;
    bot.lines.length = 0;
  }, 1000);

  const samples: Sample[] = [];
  const sample = async (minute: number): Promise<Sample> => {
    const text = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.text());
    const { rows } = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [db.name],
    );
    const ports = socketPorts(pid, redisPort);
    const clients = String(await redis.call('CLIENT', 'LIST'))
      .split('\n')
      .filter((l) => ports.has(Number(/ addr=[^ ]*:(\d+) /.exec(` ${l}`)?.[1])));
    return {
      minute,
      rssMb: metric(text, 'opsbot_process_resident_memory_bytes') / 2 ** 20,
      heapMb: metric(text, 'opsbot_nodejs_heap_size_used_bytes') / 2 ** 20,
      lagP99Ms: metric(text, 'opsbot_nodejs_eventloop_lag_p99_seconds') * 1000,
      handles: metric(text, 'opsbot_nodejs_active_handles_total'),
      pgConnections: rows[0].n,
      redisConnections: clients.length,
      ...counts,
    };
  };
  const print = (s: Sample) =>
    console.log(
      `min ${(Number.isInteger(s.minute) ? String(s.minute) : s.minute.toFixed(1)).padStart(4)}  rss ${s.rssMb.toFixed(1)} MB  heap ${s.heapMb.toFixed(1)} MB  ` +
        `lag p99 ${s.lagP99Ms.toFixed(1)} ms  handles ${s.handles}  pg ${s.pgConnections}  redis ${s.redisConnections}  ` +
        `(sent: ${s.commands} commands, ${s.alerts} alerts, ${s.jobs} jobs, ${s.errors} errors)  load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
  const first = await sample(0);
  samples.push(first);
  print(first);
  const steps = Math.round((minutes * 60_000) / sampleMs);
  for (let i = 1; i <= steps; i++) {
    await new Promise((r) => setTimeout(r, sampleMs));
    if (!bot.running) throw new Error(`opsbot exited (${bot.exitCode ?? bot.signal}): ${bot.stderr.slice(-2000)}`);
    const s = await sample((i * sampleMs) / 60_000);
    samples.push(s);
    print(s);
  }
  clearInterval(load);

  const tail = samples.slice(Math.floor(samples.length / 3));
  const mbPerMin = slope(tail.map((s) => ({ x: s.minute, y: s.rssMb })));
  const heapPerMin = slope(tail.map((s) => ({ x: s.minute, y: s.heapMb })));
  const pass = mbPerMin <= LIMIT_MB_PER_MIN && counts.errors === 0;
  console.log(
    `RSS growth over the last two thirds (${tail.length} samples): ${mbPerMin.toFixed(3)} MB/min ` +
      `(limit ${LIMIT_MB_PER_MIN} MB/min); heap ${heapPerMin.toFixed(3)} MB/min; ` +
      `RSS min/max ${Math.min(...samples.map((s) => s.rssMb)).toFixed(1)}/${Math.max(...samples.map((s) => s.rssMb)).toFixed(1)} MB; ` +
      `lag p99 max ${Math.max(...samples.map((s) => s.lagP99Ms)).toFixed(1)} ms; errors ${counts.errors}`,
  );
  console.log(pass ? 'PASS: memory bounded' : 'FAIL: RSS grows faster than the limit (or requests failed)');
  await bot.stop('SIGTERM', 30_000).catch(() => undefined);
  redis.disconnect();
  await sql.end();
  await fake.close();
  await db.drop();
  await target.drop();
  await redisNs.cleanup();
  process.exit(pass ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
