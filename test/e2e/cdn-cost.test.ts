import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  GetMonitoringSubscriptionCommand,
} from '@aws-sdk/client-cloudfront';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { TestApp, replyText } from '../support/test-app.js';
import { COST_REPORT_JOB, COST_REPORT_SCHEDULER } from '../../src/reports/cost-schedule.js';

const cf = mockClient(CloudFrontClient);
const cw = mockClient(CloudWatchClient);
const ce = mockClient(CostExplorerClient);

const CONFIG = `
environments:
  prod:
    region: eu-central-1
    cloudfront: { distribution: E2QWRUHAPOMQZL, invalidationTimeout: 20s }
    cost: { tag: { key: Environment, value: prod } }
    actions: { pollInterval: 40ms }
costReport: { channel: C0WEEKLY }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: ["cdn invalidate"]
      allow: [oncall]
      approval: { approvers: [oncall], expires: 15m }
`;

const DISTRIBUTION = {
  Distribution: {
    Id: 'E2QWRUHAPOMQZL',
    ARN: 'arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL',
    Status: 'Deployed',
    DomainName: 'd111111abcdef8.cloudfront.net',
    LastModifiedTime: new Date('2026-11-20T10:00:00Z'),
    InProgressInvalidationBatches: 0,
    DistributionConfig: {
      CallerReference: 'expo-frontend',
      Enabled: true,
      Comment: '',
      Aliases: { Quantity: 1, Items: ['app.example.com'] },
      Origins: { Quantity: 0, Items: [] },
      DefaultCacheBehavior: { TargetOriginId: 's3', ViewerProtocolPolicy: 'redirect-to-https' as const },
    },
  },
};

/** YYYY-MM-DD of the UTC day `offset` days from today (Cost Explorer's days). */
const day = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + offset)).toISOString().slice(0, 10);
};

describe('cdn, cdn invalidate and cost through the Slack harness', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG, progressIntervalMs: 20 });
  });
  afterEach(() => {
    cf.reset();
    cw.reset();
    ce.reset();
  });
  afterAll(async () => {
    await app?.stop();
    cf.restore();
    cw.restore();
    ce.restore();
  });

  it('/ops cdn prod shows the distribution and its rates against the Expo targets', async () => {
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    cf.on(GetMonitoringSubscriptionCommand).resolves({
      MonitoringSubscription: { RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: 'Enabled' } },
    });
    const now = Date.now();
    const Timestamps = Array.from({ length: 30 }, (_, i) => new Date(now - (30 - i) * 60_000));
    const s = (Id: string, v: number) => ({
      Id,
      StatusCode: 'Complete' as const,
      Timestamps,
      Values: Timestamps.map(() => v),
    });
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [s('cf_4xx', 2.5), s('cf_5xx', 0), s('cf_err', 0.05), s('cf_hit', 92), s('cf_req', 500)],
    });
    const text = replyText(await app.ask('cdn prod'));
    expect(text).toContain('prod: 1 metric yellow* (last 1h) — CloudFront 4xx rate over 1.00 % since');
    expect(text).toContain('`d111111abcdef8.cloudfront.net`');
    expect(text).toContain('*cache hit rate* 92.0 %');
  });

  it('/ops cdn invalidate prod: approval card, approved by someone else, followed until Completed', async () => {
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    let polls = 0;
    cf.on(CreateInvalidationCommand).callsFake(
      (input: { InvalidationBatch: { CallerReference: string; Paths: { Items: string[] } } }) => ({
        Invalidation: {
          Id: 'I2J0I21PCUYOIK',
          Status: 'InProgress',
          CreateTime: new Date(),
          InvalidationBatch: input.InvalidationBatch,
        },
      }),
    );
    cf.on(GetInvalidationCommand).callsFake(() => ({
      Invalidation: { Id: 'I2J0I21PCUYOIK', Status: ++polls >= 3 ? 'Completed' : 'InProgress', CreateTime: new Date() },
    }));
    const reply = await app.ask('cdn invalidate prod /index.html', { userId: 'U0ALICE', channelId: 'C0CDN' });
    expect(replyText(reply)).toContain('needs approval');
    const [posted] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        JSON.stringify(c.args).includes('approval.approve') &&
        JSON.stringify(c.args).includes('E2QWRUHAPOMQZL'),
    );
    const card = JSON.stringify(posted.args);
    expect(card).toContain('Invalidate /index.html on CloudFront');
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
    const id = /"value":"([0-9a-f-]{36})"/.exec(card)![1];
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: 'C0CDN' });
    const done = await app.jobOutcome('C0CDN', 20_000).then((o) => o.json);
    expect(done).toContain('invalidation I2J0I21PCUYOIK of E2QWRUHAPOMQZL completed in');
    const sent = cf.commandCalls(CreateInvalidationCommand)[0].args[0].input;
    expect(sent.InvalidationBatch?.Paths).toEqual({ Quantity: 1, Items: ['/index.html'] });
    expect(sent.InvalidationBatch?.CallerReference).toMatch(/^opsbot-prod-/);
    expect(polls).toBeGreaterThanOrEqual(3);
  });

  it('/ops cost prod --days 7 answers with the totals and uploads the bar chart', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: Array.from({ length: 14 }, (_, i) => ({
        TimePeriod: { Start: day(i - 14), End: day(i - 13) },
        Total: {},
        Estimated: false,
        Groups: [
          { Keys: ['Amazon CloudFront'], Metrics: { UnblendedCost: { Amount: i < 7 ? '1.0' : '1.5', Unit: 'USD' } } },
        ],
      })),
    });
    const reply = await app.ask('cost prod --days 7', { channelId: 'C0COST' });
    expect(replyText(reply)).toContain(
      'prod: $10.50 in the last 7 days* (tag Environment=prod), up 50 % from $7.00 the 7 days before',
    );
    await app.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === 'C0COST');
    const file = Object.values(app.fake.files).find((f) => f.filename === 'cost-prod.png');
    expect(app.fake.uploads[file!.id].subarray(1, 4).toString()).toBe('PNG');
  });

  it('the weekly cost report is a job scheduler in Redis whose job posts the report to the configured channel', async () => {
    expect(await app.runtime.jobs.scheduleIds()).toContain(COST_REPORT_SCHEDULER);
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: Array.from({ length: 14 }, (_, i) => ({
        TimePeriod: { Start: day(i - 14), End: day(i - 13) },
        Total: {},
        Estimated: false,
        Groups: [{ Keys: ['AmazonS3'], Metrics: { UnblendedCost: { Amount: '2', Unit: 'USD' } } }],
      })),
    });
    // What the scheduler enqueues each Monday, enqueued now.
    await app.runtime.jobs.enqueue(COST_REPORT_JOB, {
      data: {},
      meta: { title: 'Weekly cost report', requestedBy: 'opsbot' },
    });
    const [posted] = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0WEEKLY', {
      timeoutMs: 10_000,
    });
    // 7 days at $2 against 7 at $2 (the tag of prod filters it).
    expect(posted.args.text).toBe('prod: $14.00 in the last 7 days (+0 % against the 7 days before)');
    await app.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === 'C0WEEKLY');
  });
});
