/**
 * Slack gives a command 3 s to be acknowledged. This measures how long opsbot
 * takes to answer the HTTP request (the ack) for signed /ops help and
 * /ops health, N at a time, next to a bare Bolt app that only acks, in the
 * same run. Each app runs in its own process (as in production), and so does
 * the fake Slack Web API that receives their replies; this process only signs
 * and sends the requests and times the answers.
 * Target: p99 < 50 ms at 50 concurrent requests, and within 1.5x of bare Bolt.
 *
 *   npx tsx bench/ack-latency.ts [--concurrency 50] [--rounds 20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../src/sandbox/ports.js';
import { SIGNING_SECRET, BOT_TOKEN } from '../test/support/test-app.js';
import { createTestDatabase, createTestRedis } from '../test/support/databases.js';
import { Agent, request } from 'node:http';
import { signSlackRequest, slashCommandBody } from '../test/support/slack-request.js';

const { values } = parseArgs({
  options: { concurrency: { type: 'string', default: '50' }, rounds: { type: 'string', default: '20' } },
});
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);

async function startProcess(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST' }).then(
      () => true,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${script} did not start`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// Keep-alive node:http: fetch's per-request overhead in this process would otherwise dominate the figures.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One signed slash command; resolves with the time until the HTTP answer (the ack) arrived. */
function sendCommand(baseUrl: string, text: string, responseUrl: string): Promise<number> {
  const body = slashCommandBody({ text, userId: 'U0BENCH', channelId: 'C0BENCH', responseUrl });
  const headers = {
    ...signSlackRequest(SIGNING_SECRET, body),
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/slack/events`, { method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(baseUrl: string, text: string, responseUrl: string): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const batch = await Promise.all(Array.from({ length: concurrency }, () => sendCommand(baseUrl, text, responseUrl)));
    samples.push(...batch);
    await new Promise((r) => setTimeout(r, 50)); // let replies drain between rounds, as bursts come in practice
  }
  return samples.sort((a, b) => a - b);
}

function report(label: string, samples: number[]): number {
  const fmt = (n: number) => `${n.toFixed(1).padStart(6)} ms`;
  console.log(
    `${label.padEnd(22)} n=${samples.length}  p50 ${fmt(percentile(samples, 50))}  p95 ${fmt(percentile(samples, 95))}  p99 ${fmt(percentile(samples, 99))}  max ${fmt(samples[samples.length - 1])}`,
  );
  return percentile(samples, 99);
}

/** Starts the fake Slack in its own process and reads the addresses it prints. */
async function startFakeSlackProcess(): Promise<{
  child: ChildProcess;
  url: string;
  apiUrl: string;
  responseUrl: string;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fake-slack-process.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { child, ...(JSON.parse(line) as { url: string; apiUrl: string; responseUrl: string }) };
}

async function main(): Promise<void> {
  const fake = await startFakeSlackProcess();
  const db = await createTestDatabase('opsbot_bench');
  const redis = createTestRedis('opsbot-bench');
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-'));
  const configPath = join(dir, 'ops.yml');
  writeFileSync(
    configPath,
    `environments:\n  prod:\n    health:\n      - { name: api, url: "${fake.url}/health" }\n    redis: { url: "${redis.url}" }\n`,
  );
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    OPSBOT_REDIS_PREFIX: redis.prefix,
    OPS_CONFIG: configPath,
    LOG_LEVEL: 'warn',
  };
  const children: ChildProcess[] = [fake.child];
  try {
    const barePort = await freePort();
    children.push(await startProcess('bench/bare-bolt.ts', [], env, barePort));
    const opsPort = await freePort();
    children.push(await startProcess('src/main.ts', ['serve'], env, opsPort));
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const opsUrl = `http://127.0.0.1:${opsPort}`;
    const responseUrl = fake.responseUrl;

    await measure(bareUrl, 'help', responseUrl); // warm-up: JIT, first auth.test, pools
    await measure(opsUrl, 'help', responseUrl);
    await measure(opsUrl, 'health', responseUrl);

    console.log(
      `ack latency: ${concurrency} concurrent signed slash commands x ${rounds} rounds, each app in its own process`,
    );
    const base = report('bare Bolt (ack only)', await measure(bareUrl, 'help', responseUrl));
    const help = report('opsbot /ops help', await measure(opsUrl, 'help', responseUrl));
    const health = report('opsbot /ops health', await measure(opsUrl, 'health', responseUrl));
    const worst = Math.max(help, health);
    console.log(`worst opsbot p99 ${worst.toFixed(1)} ms (target < 50 ms): ${worst < 50 ? 'met' : 'NOT met'}`);
    console.log(
      `opsbot p99 / bare Bolt p99 = ${(worst / base).toFixed(2)}x (target <= 1.5x): ${worst <= base * 1.5 ? 'met' : 'NOT met'}`,
    );
  } finally {
    // Wait for both apps to exit before dropping their database; clean up everything even if one step fails.
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null
          ? Promise.resolve()
          : new Promise((resolve) => {
              child.once('exit', resolve);
              child.kill('SIGTERM');
            }),
      ),
    );
    const cleanup = await Promise.allSettled([db.drop(), redis.cleanup()]);
    for (const step of cleanup) if (step.status === 'rejected') console.error('cleanup:', step.reason);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
