// /ops metrics and /ops status read different AWS APIs (CloudWatch datapoints and alarms; Beanstalk
// enhanced health and RDS). For the same minute of the same simulated fleet they must not contradict
// each other: a failing app is red in both, a healthy one is green in both (issue 14, case 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsSimulator, type AwsSimulator } from '../../src/sandbox/aws/server.js';
import { DEMO_NAMES as N } from '../../src/sandbox/aws/fleet.js';
import { LATENCY_INCIDENT } from '../../src/sandbox/aws/signals.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const AWS_VARS = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

describe('/ops metrics and /ops status agree for the same minute (simulated AWS, one clock)', () => {
  let app: TestApp;
  let sim: AwsSimulator;
  const saved = { ...process.env };
  // One clock for the simulated fleet and the bot, so both commands look at the same minute; a fixed
  // working-day morning so the simulated load (which follows the time of day) is the same on every run.
  const startedAt = Date.parse('2026-03-03T10:00:00Z');
  let now = startedAt;

  beforeAll(async () => {
    sim = await startAwsSimulator({ now: () => now });
    Object.assign(process.env, sim.sdkEnv());
    app = await TestApp.start({
      clock: () => new Date(now),
      configYaml: `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: ${N.application}, environment: ${N.environment} }
    rds: { instance: ${N.dbInstance} }
    alarms: { prefix: expo-project-prod- }
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await sim?.close();
    for (const key of AWS_VARS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  /** The verdict line and the 5xx facts of both replies, at the current simulated minute. */
  const both = async () => {
    const metrics = replyText(await app.ask('metrics prod --since 15m', { timeoutMs: 15_000 }));
    const status = replyText(await app.ask('status prod', { timeoutMs: 15_000 }));
    const verdict = (text: string) => /"text":"(:[a-z_]+:) \*([^*]+)\*/.exec(text)!.slice(1);
    const row5xx = /(:[a-z_]+:) \*5xx rate\* ([\d.]+) %/.exec(metrics);
    return {
      metrics: { verdict: verdict(metrics), row5xx: row5xx?.[1], rate5xx: Number(row5xx?.[2]), text: metrics },
      status: {
        verdict: verdict(status),
        text: status,
        rate5xx: Number(/([\d.]+) % of the requests are failing with HTTP 5xx/.exec(status)?.[1] ?? NaN),
      },
    };
  };

  it('a healthy minute: status green, metrics never red (its 5xx row under the critical line), and neither names a failing app', async () => {
    now = startedAt + LATENCY_INCIDENT.firstAfterMs - 15_000;
    // On a loaded machine one AWS call may miss the 4 s budget, and the reply then says a part could not be
    // read (yellow, as it should be): ask again until every part was read, then compare.
    const { metrics, status } = await waitUntil(
      'both replies with every part read',
      async () => {
        const r = await both();
        return /could not be read|could not check/.test(r.metrics.text + r.status.text) ? undefined : r;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(status.verdict).toEqual([':large_green_circle:', 'prod is healthy']);
    // The simulated load is noisy (CPU, 4xx): a metric may cross a warning line for a minute, which is
    // yellow, never red. What status judges, the app's failing requests, is green in both.
    expect(metrics.verdict[0], metrics.verdict[1]).not.toBe(':red_circle:');
    if (metrics.verdict[0] !== ':large_green_circle:')
      expect(metrics.verdict[1], 'only noise may be yellow').not.toMatch(/red|5xx|latency/);
    else expect(metrics.verdict[1]).toMatch(/^prod: all \d+ metrics within thresholds$/);
    // The healthy fleet serves a stray 5xx now and then: past SoleMate's 0.1 % warning line for a minute at most
    // (yellow), never past the 5 % critical line that makes status red.
    expect(metrics.row5xx).not.toBe(':red_circle:');
    expect(metrics.rate5xx).toBeLessThan(5);
    expect(status.rate5xx).toBeNaN();
  });

  it('a minute of failing requests: status is red for the app, metrics shows the same 5xx rate past its line', async () => {
    now = startedAt + LATENCY_INCIDENT.firstAfterMs + 120_000;
    const { metrics, status } = await both();
    expect(status.verdict).toEqual([':red_circle:', 'prod is degraded']);
    // The same rate in both (CloudWatch's minute and enhanced health's last 10 s), past Expo's 5 % line.
    expect(status.rate5xx).toBeGreaterThan(5);
    expect(metrics.rate5xx).toBeGreaterThan(5);
    expect(Math.abs(metrics.rate5xx - status.rate5xx)).toBeLessThan(0.5);
    // Not green beside a red status. Yellow, not red, while the crossing is younger than the guide's 5 minutes.
    expect(metrics.row5xx).not.toBe(':large_green_circle:');
    expect(metrics.verdict[0]).not.toBe(':large_green_circle:');
  });
});
