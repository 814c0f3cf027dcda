import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  GetMonitoringSubscriptionCommand,
} from '@aws-sdk/client-cloudfront';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { cdn } from '../../commands/cdn.js';
import { cdnInvalidate, cdnInvalidateJob, invalidationPaths } from '../../commands/cdn-invalidate.js';
import { isJobRequest } from '../../src/core/command.js';
import type { Reply } from '../../src/core/reply.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { NOW, awsContext } from '../support/aws-context.js';
import { fakeServices } from '../support/services.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';

const aws = mockAws();
const cf = mockClient(CloudFrontClient);
afterEach(() => {
  aws.reset();
  cf.reset();
});
afterAll(() => {
  aws.restore();
  cf.restore();
});

// The environment is in eu-central-1: CloudFront's API and metrics must still be asked in us-east-1.
const CONFIG = `
environments:
  prod:
    region: eu-central-1
    cloudfront: { distribution: E2QWRUHAPOMQZL, invalidationTimeout: 1s }
    actions: { pollInterval: 50ms }
  bare:
    region: eu-central-1
`;
const ctx = (text = 'cdn prod', env = 'prod') => awsContext(cdn, env, { configYaml: CONFIG, text });

// GetDistribution as documented (CloudFront API reference, Distribution).
const DISTRIBUTION = {
  ETag: 'E2QWRUHEXAMPLE',
  Distribution: {
    Id: 'E2QWRUHAPOMQZL',
    ARN: 'arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL',
    Status: 'Deployed',
    DomainName: 'd111111abcdef8.cloudfront.net',
    InProgressInvalidationBatches: 0,
    LastModifiedTime: new Date('2026-11-20T10:00:00Z'),
    DistributionConfig: {
      CallerReference: 'expo-frontend',
      Enabled: true,
      Comment: 'expo-project-prod-frontend',
      Aliases: { Quantity: 1, Items: ['app.example.com'] },
      Origins: { Quantity: 0, Items: [] },
      DefaultCacheBehavior: { TargetOriginId: 's3', ViewerProtocolPolicy: 'redirect-to-https' as const },
    },
  },
};

/** One point a minute over the last hour: GetMetricData's documented result shape. */
function series(id: string, value: (i: number) => number) {
  const Timestamps = Array.from({ length: 60 }, (_, i) => new Date(NOW.getTime() - (60 - i) * 60_000));
  return { Id: id, Label: id, StatusCode: 'Complete' as const, Timestamps, Values: Timestamps.map((_, i) => value(i)) };
}

describe('/ops cdn', () => {
  it('judges the rates against the Expo targets, and says when CacheHitRate needs the additional metrics', async () => {
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    cf.on(GetMonitoringSubscriptionCommand).rejects(
      awsError(
        'NoSuchMonitoringSubscription',
        'A monitoring subscription does not exist for the specified distribution.',
      ),
    );
    aws.cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        series('cf_4xx', () => 0.4),
        series('cf_5xx', (i) => (i >= 50 ? 0.3 : 0.02)),
        series('cf_err', () => 0.05),
        { Id: 'cf_hit', Label: 'cf_hit', StatusCode: 'Complete' as const, Timestamps: [], Values: [] },
        series('cf_req', () => 1200),
      ],
    });
    const reply = (await cdn.run(ctx(), { since: 3_600_000 })) as Reply;
    const text = renderReplyAsText(reply);
    expect(reply.tone).toBe('warning');
    // The verdict names the one row that is off, from the same judgement as the row.
    expect(reply.text).toBe('prod: CloudFront 5xx rate over 0.10 % since 08:50');
    expect(text).toMatch(
      /:large_yellow_circle: 5xx rate 0\.30 % \(max 0\.30 %\) [▁▂▃▄▅▆▇█ ]+ < 0\.10 % — over 0\.10 % since 08:50/,
    );
    expect(text).toMatch(/:large_green_circle: 4xx rate 0\.40 %/);
    expect(text).toContain('d111111abcdef8.cloudfront.net');
    expect(text).toContain('app.example.com');
    expect(text).toContain(
      "CacheHitRate is one of CloudFront's additional metrics, which are off for this distribution",
    );
    const query = aws.cw.commandCalls(GetMetricDataCommand)[0];
    expect(await query.thisValue.config.region()).toBe('us-east-1');
    expect(query.args[0].input.MetricDataQueries?.find((q) => q.Id === 'cf_hit')?.MetricStat?.Metric).toEqual({
      Namespace: 'AWS/CloudFront',
      MetricName: 'CacheHitRate',
      Dimensions: [
        { Name: 'DistributionId', Value: 'E2QWRUHAPOMQZL' },
        { Name: 'Region', Value: 'Global' },
      ],
    });
  });

  it('a hit rate under 80 % is yellow, and green rows say so in the verdict', async () => {
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    cf.on(GetMonitoringSubscriptionCommand).resolves({
      MonitoringSubscription: { RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: 'Enabled' } },
    });
    aws.cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        series('cf_4xx', () => 0.2),
        series('cf_5xx', () => 0),
        series('cf_err', () => 0.01),
        series('cf_hit', () => 91),
        series('cf_req', () => 900),
      ],
    });
    const green = (await cdn.run(ctx(), { since: 3_600_000 })) as Reply;
    expect(green.tone).toBe('ok');
    expect(renderReplyAsText(green)).toContain('prod: all 5 metrics within thresholds');
    aws.cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [series('cf_hit', (i) => (i >= 30 ? 75 : 88)), series('cf_req', () => 900)],
    });
    const low = (await cdn.run(ctx(), { since: 3_600_000 })) as Reply;
    expect(low.tone).toBe('warning');
    expect(low.text).toBe('prod: CloudFront cache hit rate under 80.0 % since 08:30');
  });

  it('AccessDenied names the IAM action and the metrics still stand; throttling is retried and noted', async () => {
    cf.on(GetDistributionCommand).rejects(
      awsError(
        'AccessDenied',
        'User: arn:aws:sts::123456789012:assumed-role/opsbot is not authorized to perform: cloudfront:GetDistribution',
      ),
    );
    cf.on(GetMonitoringSubscriptionCommand).resolves({});
    aws.cw
      .on(GetMetricDataCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolves({ MetricDataResults: [series('cf_4xx', () => 0.1), series('cf_req', () => 10)] });
    const reply = (await cdn.run(ctx(), { since: 3_600_000 })) as Reply;
    const text = renderReplyAsText(reply);
    expect(text).toContain(
      "could not read the distribution — AWS denied CloudFront GetDistribution: opsbot's IAM role lacks cloudfront:GetDistribution",
    );
    expect(text).toContain('CloudWatch GetMetricData was throttled; retried 1× with backoff.');
    expect(text).toMatch(/:large_green_circle: 4xx rate 0\.10 %/);
    expect(reply.tone).toBe('warning');
  });

  it('a distribution id CloudFront does not know is said as such, with where to fix it', async () => {
    cf.on(GetDistributionCommand).rejects(
      awsError('NoSuchDistribution', 'The specified distribution does not exist.', {
        $metadata: { httpStatusCode: 404 },
      }),
    );
    await expect(planned()).rejects.toMatchObject({
      message: 'CloudFront has no distribution `E2QWRUHAPOMQZL` in this account.',
      hint: expect.stringContaining('Check `cloudfront.distribution` in ops.yml'),
    });
  });

  it('without a distribution says what to add to ops.yml', async () => {
    await expect(cdn.run(ctx('cdn bare', 'bare'), { since: 3_600_000 })).rejects.toMatchObject({
      message: '`bare` has no CloudFront distribution configured.',
      hint: expect.stringContaining('cloudfront: { distribution: E1A2B3C4D5E6F7 }'),
    });
  });
});

const jobContext = () => {
  const { config } = parseConfig(CONFIG, {});
  return {
    jobId: '1',
    config,
    log: createLogger('silent'),
    services: fakeServices({ aws: new AwsClientFactory() }),
    signal: new AbortController().signal,
    progress: async () => undefined,
  };
};

async function planned(paths?: string) {
  const c = awsContext(cdnInvalidate, 'prod', { configYaml: CONFIG, text: `cdn invalidate prod ${paths ?? ''}` });
  const plan = await cdnInvalidate.plan(c, { paths });
  const result = await cdnInvalidate.execute(c, plan);
  if (!isJobRequest(result)) throw new Error('expected a job');
  return { plan, data: result.job.data };
}

// CreateInvalidation / GetInvalidation as documented: Invalidation { Id, Status, CreateTime, InvalidationBatch }.
const invalidation = (status: string, paths = ['/*'], ref = 'x') => ({
  Location: 'https://cloudfront.amazonaws.com/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation/I2J0I21PCUYOIK',
  Invalidation: {
    Id: 'I2J0I21PCUYOIK',
    Status: status,
    CreateTime: NOW,
    InvalidationBatch: { CallerReference: ref, Paths: { Quantity: paths.length, Items: paths } },
  },
});

describe('/ops cdn invalidate', () => {
  it('is always gated, defaults to /*, and checks the paths it is given', async () => {
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    const { plan, data } = await planned();
    expect(cdnInvalidate.risk).toBe('dangerous');
    expect(plan.summary).toBe('Invalidate /* on CloudFront `E2QWRUHAPOMQZL` (d111111abcdef8.cloudfront.net)');
    expect(data.paths).toEqual(['/*']);
    expect(String(data.callerReference)).toMatch(/^opsbot-prod-[0-9a-f-]{36}$/);
    expect(plan.preconditions).toEqual([{ what: 'E2QWRUHAPOMQZL serves', expected: 'd111111abcdef8.cloudfront.net' }]);
    expect(invalidationPaths('/index.html /static/* /index.html')).toEqual(['/index.html', '/static/*']);
    expect(() => invalidationPaths('index.html')).toThrow('CloudFront paths start with "/"');
    expect(() => invalidationPaths('/static/*.js')).toThrow('a "*" only as the last character');
    expect(() => invalidationPaths(Array.from({ length: 16 }, (_, i) => `/p${i}`).join(' '))).toThrow(
      '16 paths is more than opsbot sends from chat (at most 15)',
    );
  });

  it('creates the invalidation with the plan’s CallerReference and follows it until Completed; a retry asks for the same one', async () => {
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    const { data } = await planned('/index.html /static/*');
    const ref = String(data.callerReference);
    cf.on(CreateInvalidationCommand).resolves(invalidation('InProgress', ['/index.html', '/static/*'], ref));
    cf.on(GetInvalidationCommand)
      .resolvesOnce(invalidation('InProgress'))
      .resolves(invalidation('Completed', ['/index.html', '/static/*'], ref));
    const done = await cdnInvalidateJob.run(jobContext(), data as never);
    expect(done.text).toMatch(/^prod: invalidation I2J0I21PCUYOIK of E2QWRUHAPOMQZL completed in \d+s$/);
    expect(cf.commandCalls(GetInvalidationCommand).length).toBe(2);
    await cdnInvalidateJob.run(jobContext(), data as never);
    const sent = cf.commandCalls(CreateInvalidationCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual({
      DistributionId: 'E2QWRUHAPOMQZL',
      InvalidationBatch: { CallerReference: ref, Paths: { Quantity: 2, Items: ['/index.html', '/static/*'] } },
    });
    expect(sent[1]).toEqual(sent[0]);
    expect(await cf.commandCalls(CreateInvalidationCommand)[0].thisValue.config.region()).toBe('us-east-1');
  });

  it('an invalidation still InProgress past the time limit ends with a clear message', async () => {
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    const { data } = await planned();
    cf.on(CreateInvalidationCommand).resolves(invalidation('InProgress'));
    cf.on(GetInvalidationCommand).resolves(invalidation('InProgress'));
    const err = await cdnInvalidateJob.run(jobContext(), data as never).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'UserError',
      message: expect.stringMatching(
        /^Gave up waiting for invalidation I2J0I21PCUYOIK of `E2QWRUHAPOMQZL` to complete after 1s \(limit 1s\)\. Last state: InProgress/,
      ),
      hint: expect.stringContaining(
        'aws cloudfront get-invalidation --distribution-id E2QWRUHAPOMQZL --id I2J0I21PCUYOIK',
      ),
    });
    expect(cf.commandCalls(GetInvalidationCommand).length).toBeGreaterThan(1);
  });

  it('refuses when the distribution now serves another domain, and says CloudFront’s limit in words', async () => {
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    const { data } = await planned();
    cf.on(GetDistributionCommand).resolves({
      Distribution: { ...DISTRIBUTION.Distribution, DomainName: 'd222222abcdef8.cloudfront.net' },
    });
    await expect(cdnInvalidateJob.run(jobContext(), data as never)).rejects.toMatchObject({
      planChanged: true,
      message: expect.stringContaining('now serves `d222222abcdef8.cloudfront.net`'),
    });
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
    cf.on(GetDistributionCommand).resolves(DISTRIBUTION);
    cf.on(CreateInvalidationCommand).rejects(
      awsError(
        'TooManyInvalidationsInProgress',
        'Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations.',
      ),
    );
    await expect(cdnInvalidateJob.run(jobContext(), data as never)).rejects.toThrow(
      'too many invalidations in progress',
    );
    cf.on(CreateInvalidationCommand).rejects(awsError('AccessDenied', 'not authorized'));
    await expect(cdnInvalidateJob.run(jobContext(), data as never)).rejects.toThrow(
      'lacks `cloudfront:CreateInvalidation`',
    );
  });
});
