/**
 * An alert storm against the real pipeline: 10,000 signed SNS notifications
 * for 200 distinct CloudWatch alarms, sent as fast as POST /alerts/sns accepts
 * them, with the fake Slack enforcing about 1 message/s per channel (burst 3).
 * Prints accepted/s, Slack calls, 429s, alerts lost and the p95 time from
 * intake to the first Slack post showing an alarm.
 * Targets: >= 1,000 accepted/s, 0 lost, every alarm in Slack within 60 s,
 * no more new Slack messages than alarms (plus summary updates).
 *
 * --faults: Redis and the fake Slack sit behind fault proxies and are each cut for 10 s during the storm
 * (sent at --rate, default 200/s, so the storm spans both outages); a notification answered 503 or not at all
 * is sent again after 5 s, as SNS retries. Reports lost (must be 0), Slack messages posted twice (must be 0)
 * and the time from the end of the last outage to full delivery.
 *
 *   npx tsx bench/alert-storm.ts [--notifications 10000] [--alarms 200] [--concurrency 64] [--faults [--rate 200]]
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parseConfig } from '../src/config/load.js';
import { createLogger } from '../src/log.js';
import { Runtime } from '../src/runtime.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/support/test-app.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { createTestDatabase, createTestRedis } from '../test/support/databases.js';
import { startStormFaults } from './storm-faults.js';
import { alarmMessage, makeSigningCert, signedSnsMessage, TEST_TOPIC } from '../test/fixtures/alerts/sns-signer.js';

const { values } = parseArgs({
  options: {
    notifications: { type: 'string', default: '10000' },
    alarms: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '64' },
    serve: { type: 'boolean', default: false },
    faults: { type: 'boolean', default: false },
    rate: { type: 'string' },
  },
});
const total = Number(values.notifications);
const alarmCount = Number(values.alarms);
const concurrency = Number(values.concurrency);
const faultMode = values.faults;
const rate = Number(values.rate ?? (faultMode ? 200 : Infinity));

const CONFIG = `
environments:
  prod: { region: us-east-1 }
channels: { alerts: C0ALERTS }
alerts:
  snsTopics: ["${TEST_TOPIC}"]
  routes:
    - { match: { alarmName: "bench-db-*" }, channel: C0DB, severity: P1 }
    - { match: { alarmName: "bench-api-*" }, channel: C0API, severity: P2 }
    - { match: { alarmName: "bench-queue-*" }, channel: C0QUEUE, severity: P3 }
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** --serve: the bot in its own process (as in production, logging at info), on the database, Redis prefix and fake Slack the parent made. */
async function serve(): Promise<void> {
  const e = process.env;
  const { config } = parseConfig(CONFIG, {});
  const runtime = new Runtime({
    env: {
      slackBotToken: BOT_TOKEN,
      slackSigningSecret: SIGNING_SECRET,
      slackApiUrl: e.BENCH_SLACK_API_URL,
      port: 0,
      databaseUrl: e.BENCH_DATABASE_URL!,
      redisUrl: e.BENCH_REDIS_URL!,
      redisPrefix: e.BENCH_REDIS_PREFIX!,
      opsConfigPath: '(bench)',
      logLevel: 'info',
    },
    config,
    log: createLogger('info', process.stderr),
    alertHooks: { fetchCert: async () => e.BENCH_CERT_PEM! },
  });
  await runtime.prepare();
  if (e.BENCH_NO_WORKER !== '1') await runtime.startWorker();
  const port = await runtime.startSlack();
  console.log(`LISTENING http://127.0.0.1:${port}`);
  process.on('SIGTERM', () => void runtime.close().then(() => process.exit(0)));
}

async function startBot(env: Record<string, string>): Promise<{ baseUrl: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`bot exited with ${code}`)));
  });
  return { baseUrl, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const cert = makeSigningCert();
  const families = ['db', 'api', 'queue', 'misc'];
  const names = Array.from(
    { length: alarmCount },
    (_, i) => `bench-${families[i % families.length]}-alarm-${String(i).padStart(3, '0')}`,
  );
  // One signed body per notification, signed before the clock starts: SNS gives every notification its own
  // MessageId, and intake counts a MessageId once (a redelivery), so bodies cannot be reused.
  const bodies = Array.from({ length: total }, (_, i) =>
    JSON.stringify(
      signedSnsMessage(cert.keyPem, {
        Type: 'Notification',
        Subject: `ALARM: "${names[i % alarmCount]}"`,
        Message: alarmMessage(names[i % alarmCount], 'ALARM'),
      }),
    ),
  );

  const fake = await startFakeSlack();
  fake.enforceChannelRate({ perSecond: 1, burst: 3 });
  const db = await createTestDatabase('opsbot_bench');
  const redisNs = createTestRedis('opsbot-bench');
  const faults = faultMode ? await startStormFaults(redisNs.url, fake.apiUrl) : undefined;
  // As deployed at scale: `opsbot serve` takes requests, a separate `opsbot worker` runs the pipeline and the outbox.
  const shared = {
    BENCH_SLACK_API_URL: faults?.slackApiUrl ?? fake.apiUrl,
    BENCH_CERT_PEM: cert.certPem,
    BENCH_DATABASE_URL: db.url,
    BENCH_REDIS_PREFIX: redisNs.prefix,
    BENCH_REDIS_URL: faults?.redisUrl ?? redisNs.url,
  };
  const bot = await startBot({ ...shared, BENCH_NO_WORKER: '1' });
  const worker = await startBot(shared);
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  const bull = new Redis(redisNs.url, { maxRetriesPerRequest: null });
  const alertsQueue = new Queue('ops-alerts', { connection: bull, prefix: redisNs.prefix });
  const outbox = new Queue('ops-outbox', { connection: bull, prefix: redisNs.prefix });
  const firstSent = new Map<string, number>();
  // node:http with keep-alive: the load generator should cost less than the server it measures.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/alerts/sns', bot.baseUrl);
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'text/plain; charset=UTF-8', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      // SNS gives up on a delivery after 15 s and retries it later.
      req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
      req.end(body);
    });
  let accepted = 0;
  let refused = 0;
  let retried = 0;
  let next = 0;
  const started = Date.now();
  const outages = faults?.run(3000, 10_000, 5000);
  const send = async (i: number) => {
    // With --faults a refused or unanswered notification is sent again after Retry-After (5 s), as SNS does.
    for (let attempt = 0; ; attempt++) {
      const status = await post(bodies[i]).catch(() => 0);
      if (status === 202) return void accepted++;
      refused++;
      if (!faultMode || Date.now() - started > 180_000) return;
      retried++;
      await new Promise((r) => setTimeout(r, 5000));
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const due = started + (i / rate) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        const alarm = i % alarmCount;
        if (!firstSent.has(names[alarm])) firstSent.set(names[alarm], Date.now());
        await send(i);
      }
    }),
  );
  await outages;
  const sendSeconds = (Date.now() - started) / 1000;
  console.error(
    `sent: ${accepted} accepted, ${refused} refused in ${sendSeconds.toFixed(2)} s; waiting for Slack to catch up…`,
  );

  // Drain: every queued alert processed, every message change sent.
  const deadline = Date.now() + 180_000;
  for (;;) {
    const [a, o, unsynced] = await Promise.all([
      alertsQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      outbox.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      sql
        .query('SELECT count(*)::int AS n FROM alert_messages WHERE synced_version < version')
        .then((r) => r.rows[0].n as number),
    ]);
    const pending =
      Object.values(a).reduce((x, y) => x + y, 0) -
      (a.delayed ?? 0) +
      Object.values(o).reduce((x, y) => x + y, 0) +
      unsynced;
    if (pending === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const drainedSeconds = (Date.now() - started) / 1000;

  const calls = fake.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
  const ok = calls.filter((c) => c.status === 200);
  const posts = ok.filter((c) => c.method === 'chat.postMessage');
  const latencies: number[] = [];
  const firstSeen = new Map<string, number>();
  for (const c of ok) {
    const text = JSON.stringify(c.args);
    for (const name of names) if (!firstSeen.has(name) && text.includes(name)) firstSeen.set(name, c.at);
  }
  for (const [name, at] of firstSeen) latencies.push(at - firstSent.get(name)!);
  latencies.sort((a, b) => a - b);
  // Lost = not visible in the final state of any message in Slack, or a notification not counted.
  const finalText = posts.map((c) => JSON.stringify(fake.message(String(c.args.channel), c.response.ts))).join('');
  const lostAlarms = names.filter((n) => !finalText.includes(n));
  const { rows } = await sql.query(
    `SELECT count(*)::int AS alarms, COALESCE(sum(count), 0)::int AS notifications FROM alerts`,
  );
  const messagesByKind = await sql.query(
    `SELECT kind, count(*)::int AS n FROM alert_messages GROUP BY kind ORDER BY kind`,
  );

  const stored = await sql.query(`SELECT count(*)::int AS n FROM alert_messages WHERE ts IS NOT NULL`);
  const storedTs = await sql.query(`SELECT channel_id, ts FROM alert_messages WHERE ts IS NOT NULL`);
  const known = new Set(storedTs.rows.map((r) => `${r.channel_id}/${r.ts}`));
  // A message posted twice: a post whose ts no alert message kept (its row points at the other copy).
  const duplicated = posts.filter((c) => !known.has(`${String(c.args.channel)}/${c.response.ts}`)).length;
  const restoredAt = faults?.lastRestoreAt();
  const report = {
    notifications: total,
    alarms: alarmCount,
    acceptedPerSecond: Math.round(accepted / sendSeconds),
    accepted,
    refused,
    sendSeconds: Number(sendSeconds.toFixed(2)),
    drainedAfterSeconds: Number(drainedSeconds.toFixed(2)),
    slackCalls: calls.length,
    slackMessagesPosted: posts.length,
    slackUpdates: ok.length - posts.length,
    messagesByKind: Object.fromEntries(messagesByKind.rows.map((r) => [r.kind, r.n])),
    rateLimited429: calls.filter((c) => c.status === 429).length,
    alarmsLost: lostAlarms.length,
    notificationsCounted: rows[0].notifications,
    notificationsLost: accepted - rows[0].notifications,
    alarmsVisible: firstSeen.size,
    firstPostP50Ms: percentile(latencies, 50),
    firstPostP95Ms: percentile(latencies, 95),
    firstPostMaxMs: latencies.at(-1),
    ...(faults && {
      faults: faults.events.map((e) => `${e.what} at +${((e.at - started) / 1000).toFixed(1)} s`),
      retriedAfterRefusal: retried,
      notAcceptedAfterRetries: total - accepted,
      messagesStored: stored.rows[0].n,
      duplicatedSlackMessages: duplicated,
      // From the end of the last outage (the storm is still being sent then) and from the last notification sent.
      drainedAfterLastSendSeconds: Number((drainedSeconds - sendSeconds).toFixed(2)),
      fullDeliveryAfterRecoverySeconds: restoredAt
        ? Number(((started + drainedSeconds * 1000 - restoredAt) / 1000).toFixed(2))
        : undefined,
    }),
  };
  console.log(JSON.stringify(report, null, 2));
  const pass =
    (faultMode ? accepted === total && duplicated === 0 : report.acceptedPerSecond >= 1000) &&
    report.alarmsLost === 0 &&
    report.notificationsLost === 0 &&
    (report.firstPostMaxMs ?? Infinity) <= 60_000 &&
    report.slackMessagesPosted <= alarmCount;
  console.log(pass ? 'PASS: all targets met' : 'FAIL: a target was missed');
  agent.destroy();
  bot.stop();
  worker.stop();
  await new Promise((r) => setTimeout(r, 1500));
  await Promise.all([alertsQueue.close(), outbox.close()]);
  bull.disconnect();
  await sql.end();
  await faults?.close();
  await fake.close();
  await db.drop();
  await redisNs.cleanup();
  process.exit(pass ? 0 : 1);
}

(values.serve ? serve() : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
