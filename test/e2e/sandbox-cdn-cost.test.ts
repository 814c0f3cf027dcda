// The demo's simulated CloudFront (REST-XML) and Cost Explorer (JSON 1.1), driven by the real SDK clients,
// and /ops cdn, /ops cdn invalidate and /ops cost through the Slack harness against them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  GetMonitoringSubscriptionCommand,
} from '@aws-sdk/client-cloudfront';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { startAwsSimulator, type AwsSimulator } from '../../src/sandbox/aws/server.js';
import { DEMO_DISTRIBUTION } from '../../src/sandbox/aws/cloudfront.js';
import { TestApp, replyText } from '../support/test-app.js';
import { useSdkEnv } from '../support/sdk-env.js';
import { waitUntil } from '../support/wait.js';

let sim: AwsSimulator;
const opts = () => ({
  endpoint: sim.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
  maxAttempts: 1,
});
let cf: CloudFrontClient;
let ce: CostExplorerClient;
let cw: CloudWatchClient;

beforeAll(async () => {
  // Invalidations complete after 12 s of demo time: a hundredth of it here.
  sim = await startAwsSimulator({ timeScale: 0.01 });
  cf = new CloudFrontClient(opts());
  ce = new CostExplorerClient(opts());
  cw = new CloudWatchClient(opts());
});
afterAll(async () => {
  for (const c of [cf, ce, cw]) c?.destroy();
  await sim?.close();
});

const utcDay = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + offset)).toISOString().slice(0, 10);
};

describe('simulated CloudFront and Cost Explorer, through the real SDK clients', () => {
  it('CloudFront: the distribution, its additional metrics, and an invalidation that completes on a timer', async () => {
    const d = await cf.send(new GetDistributionCommand({ Id: DEMO_DISTRIBUTION }));
    expect(d.Distribution).toMatchObject({
      Id: DEMO_DISTRIBUTION,
      Status: 'Deployed',
      DomainName: 'd1demo2cdn3abc.cloudfront.net',
    });
    expect(d.Distribution?.DistributionConfig?.Aliases?.Items).toEqual(['app.expo-project.example.com']);
    expect(d.Distribution?.DistributionConfig?.Enabled).toBe(true);
    expect(d.ETag).toBe('E2DEMOETAG');
    const m = await cf.send(new GetMonitoringSubscriptionCommand({ DistributionId: DEMO_DISTRIBUTION }));
    expect(m.MonitoringSubscription?.RealtimeMetricsSubscriptionConfig?.RealtimeMetricsSubscriptionStatus).toBe(
      'Enabled',
    );
    await expect(cf.send(new GetDistributionCommand({ Id: 'E0NOSUCH00000' }))).rejects.toMatchObject({
      name: 'NoSuchDistribution',
    });

    const batch = { CallerReference: 'opsbot-test-1', Paths: { Quantity: 2, Items: ['/index.html', '/static/*'] } };
    const created = await cf.send(
      new CreateInvalidationCommand({ DistributionId: DEMO_DISTRIBUTION, InvalidationBatch: batch }),
    );
    expect(created.Invalidation).toMatchObject({ Status: 'InProgress', InvalidationBatch: batch });
    expect(created.Location).toContain(`/invalidation/${created.Invalidation!.Id}`);
    // The same reference and paths: the same invalidation back; other paths: refused.
    const again = await cf.send(
      new CreateInvalidationCommand({ DistributionId: DEMO_DISTRIBUTION, InvalidationBatch: batch }),
    );
    expect(again.Invalidation?.Id).toBe(created.Invalidation?.Id);
    await expect(
      cf.send(
        new CreateInvalidationCommand({
          DistributionId: DEMO_DISTRIBUTION,
          InvalidationBatch: { ...batch, Paths: { Quantity: 1, Items: ['/*'] } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidationBatchAlreadyExists' });
    const done = await waitUntil(
      'the invalidation to complete',
      async () => {
        const o = await cf.send(
          new GetInvalidationCommand({ DistributionId: DEMO_DISTRIBUTION, Id: created.Invalidation!.Id! }),
        );
        return o.Invalidation?.Status === 'Completed' ? o : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    expect(done.Invalidation?.InvalidationBatch?.Paths?.Items).toEqual(['/index.html', '/static/*']);
  });

  it('CloudWatch serves CloudFront’s metrics with DistributionId and Region=Global', async () => {
    const now = Date.now();
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 30 * 60_000),
        EndTime: new Date(now),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: ['CacheHitRate', '4xxErrorRate', 'Requests'].map((name, i) => ({
          Id: `m${i}`,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/CloudFront',
              MetricName: name,
              Dimensions: [
                { Name: 'DistributionId', Value: DEMO_DISTRIBUTION },
                { Name: 'Region', Value: 'Global' },
              ],
            },
            Period: 60,
            Stat: name === 'Requests' ? 'Sum' : 'Average',
          },
        })),
      }),
    );
    const [hit, e4, req] = out.MetricDataResults ?? [];
    expect(hit.Values?.length).toBeGreaterThan(20);
    expect(Math.min(...hit.Values!)).toBeGreaterThan(60);
    expect(Math.max(...hit.Values!)).toBeLessThanOrEqual(99);
    expect(Math.max(...e4.Values!)).toBeLessThan(2);
    expect(Math.min(...req.Values!)).toBeGreaterThan(1000);
  });

  it('Cost Explorer: daily cost by service, a tag filter, and its documented errors', async () => {
    const input = {
      TimePeriod: { Start: utcDay(-14), End: utcDay(0) },
      Granularity: 'DAILY' as const,
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION' as const, Key: 'SERVICE' }],
    };
    const all = await ce.send(new GetCostAndUsageCommand(input));
    expect(all.ResultsByTime).toHaveLength(14);
    const day = all.ResultsByTime![13];
    expect(day.TimePeriod).toEqual({ Start: utcDay(-1), End: utcDay(0) });
    expect(day.Estimated).toBe(true);
    const ec2 = day.Groups?.find((g) => g.Keys?.[0] === 'Amazon Elastic Compute Cloud - Compute');
    expect(Number(ec2?.Metrics?.UnblendedCost?.Amount)).toBeGreaterThan(10);
    expect(ec2?.Metrics?.UnblendedCost?.Unit).toBe('USD');
    const sum = (o: typeof all) =>
      (o.ResultsByTime ?? [])
        .flatMap((r) => r.Groups ?? [])
        .reduce((a, g) => a + Number(g.Metrics!.UnblendedCost.Amount), 0);
    const tagged = await ce.send(
      new GetCostAndUsageCommand({ ...input, Filter: { Tags: { Key: 'Environment', Values: ['staging'] } } }),
    );
    expect(sum(tagged)).toBeLessThan(sum(all) / 5);
    await expect(
      ce.send(new GetCostAndUsageCommand({ ...input, TimePeriod: { Start: utcDay(0), End: utcDay(-1) } })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      ce.send(new GetCostAndUsageCommand({ ...input, TimePeriod: { Start: utcDay(3), End: utcDay(5) } })),
    ).rejects.toMatchObject({ name: 'DataUnavailableException' });
  });
});

describe('/ops cdn, cdn invalidate and cost against the simulated AWS', () => {
  let app: TestApp;
  let own: AwsSimulator;
  let restoreEnv = () => {};

  beforeAll(async () => {
    own = await startAwsSimulator({ timeScale: 0.01 });
    restoreEnv = useSdkEnv(own.sdkEnv());
    app = await TestApp.start({
      progressIntervalMs: 20,
      configYaml: `
environments:
  prod:
    region: us-east-1
    cloudfront: { distribution: ${DEMO_DISTRIBUTION} }
    cost: { tag: { key: Environment, value: prod } }
    actions: { pollInterval: 50ms }
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await own?.close();
    restoreEnv();
  });

  it('/ops cdn prod reads the distribution and its metrics', async () => {
    const text = replyText(await app.ask('cdn prod', { timeoutMs: 15_000 }));
    expect(text).toContain('`d1demo2cdn3abc.cloudfront.net`');
    expect(text).toMatch(/\*cache hit rate\* \d+\.\d %/);
    expect(text).toMatch(/\*requests per 1 min\* \d+/);
    expect(own.calls.filter((c) => c.error)).toEqual([]);
  });

  it('/ops cdn invalidate prod, approved, is followed until the simulated invalidation completes', async () => {
    const reply = await app.ask('cdn invalidate prod', { userId: 'U0ALICE', channelId: 'C0SIMCDN' });
    expect(replyText(reply)).toContain('needs approval');
    const [posted] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        JSON.stringify(c.args).includes('approval.approve') &&
        JSON.stringify(c.args).includes(DEMO_DISTRIBUTION),
    );
    const id = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(posted.args))![1];
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: 'C0SIMCDN' });
    const done = await app.jobOutcome('C0SIMCDN', 20_000).then((o) => o.json);
    expect(done).toMatch(/invalidation I[0-9A-F]{13} of E2DEMO0CDN0PROD completed in/);
    expect(own.calls.filter((c) => c.service === 'cloudfront').map((c) => c.operation)).toEqual(
      expect.arrayContaining(['CreateInvalidation', 'GetInvalidation']),
    );
  });

  it('/ops cost prod --days 7 totals the simulated bill and uploads the chart', async () => {
    const text = replyText(await app.ask('cost prod --days 7', { channelId: 'C0SIMCOST', timeoutMs: 15_000 }));
    expect(text).toMatch(
      /prod: \$\d+\.\d\d in the last 7 days\* \(tag Environment=prod\), (up|down) \d+ % from \$\d+\.\d\d the 7 days before/,
    );
    expect(text).toContain('Amazon CloudFront');
    await app.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === 'C0SIMCOST');
  });
});
