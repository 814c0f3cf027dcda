import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CostExplorerClient, GetCostAndUsageCommand, type ResultByTime } from '@aws-sdk/client-cost-explorer';
import { cost } from '../../commands/cost.js';
import type { Reply } from '../../src/core/reply.js';
import type { JobEnvelope, JobScheduling } from '../../src/core/job.js';
import type { Chat } from '../../src/core/chat.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { awsError } from '../support/aws-mocks.js';
import { NOW, awsContext } from '../support/aws-context.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { COST_REPORT_JOB, COST_REPORT_SCHEDULER, costReportFeature } from '../../src/reports/cost-schedule.js';

const ce = mockClient(CostExplorerClient);
afterEach(() => ce.reset());
afterAll(() => ce.restore());

const CONFIG = `
timezone: Europe/Berlin
environments:
  prod:
    region: eu-west-1
    cost: { tag: { key: Environment, value: prod } }
  staging:
    region: eu-west-1
costReport: { channel: C0COSTS }
`;
const ctx = (env = 'prod') => awsContext(cost, env, { configYaml: CONFIG, text: `cost ${env}` });

const day = (offset: number) => new Date(Date.UTC(2026, 10, 23 + offset)).toISOString().slice(0, 10);

/** GetCostAndUsage grouped by SERVICE, daily, as documented: Total is empty when grouping, amounts are strings. */
function daily(days: number, amounts: (i: number) => Record<string, number>, estimatedFrom = Infinity): ResultByTime[] {
  return Array.from({ length: days }, (_, i) => ({
    TimePeriod: { Start: day(i - days), End: day(i - days + 1) },
    Total: {},
    Estimated: i >= estimatedFrom,
    Groups: Object.entries(amounts(i)).map(([service, amount]) => ({
      Keys: [service],
      Metrics: { UnblendedCost: { Amount: amount.toFixed(10), Unit: 'USD' } },
    })),
  }));
}

describe('/ops cost', () => {
  it('totals the period by service against the one before, filtered by the environment’s tag, with a chart', async () => {
    // 7 days before: EC2 10/day, RDS 5/day; the last 7: EC2 14/day, RDS 5/day, CloudFront 1/day (new).
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: daily(
        14,
        (i): Record<string, number> =>
          i < 7
            ? { 'Amazon Elastic Compute Cloud - Compute': 10, 'Amazon Relational Database Service': 5 }
            : {
                'Amazon Elastic Compute Cloud - Compute': 14,
                'Amazon Relational Database Service': 5,
                'Amazon CloudFront': 1,
              },
        13,
      ),
      GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      DimensionValueAttributes: [],
    });
    const reply = (await cost.run(ctx(), { days: 7, by: 'service' })) as Reply;
    const text = renderReplyAsText(reply);
    // (14+5+1)*7 = 140 against (10+5)*7 = 105: up 33 %, over the 20 % line.
    expect(reply.tone).toBe('warning');
    expect(reply.text).toBe('prod: $140.00 in the last 7 days (+33 % against the 7 days before)');
    expect(text).toContain(
      'prod: $140.00 in the last 7 days (tag Environment=prod), up 33 % from $105.00 the 7 days before',
    );
    expect(text).toMatch(/Amazon Elastic Compute Cloud - Compute\s+\$98\.00\s+\$70\.00\s+\+40 %/);
    expect(text).toMatch(/Amazon Relational Database Service\s+\$35\.00\s+\$35\.00\s+\+0 %/);
    expect(text).toMatch(/Amazon CloudFront\s+\$7\.00\s+\$0\.00\s+new/);
    expect(text).toContain('1 of the days are still estimated');
    expect(text).toContain(`${day(-7)} – ${day(-1)}`);
    expect(reply.files?.[0]).toMatchObject({ filename: 'cost-prod.png' });
    expect((reply.files![0].content as Buffer).subarray(1, 4).toString()).toBe('PNG');
    const call = ce.commandCalls(GetCostAndUsageCommand)[0];
    expect(call.args[0].input).toEqual({
      TimePeriod: { Start: day(-14), End: day(0) },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      Filter: { Tags: { Key: 'Environment', Values: ['prod'], MatchOptions: ['EQUALS'] } },
      NextPageToken: undefined,
    });
    // Cost Explorer's only endpoint is us-east-1, whatever the environment's region.
    expect(await call.thisValue.config.region()).toBe('us-east-1');
  });

  it('follows NextPageToken, and without a tag says it is the whole account', async () => {
    const all = daily(60, () => ({ AWSLambda: 0.5 }));
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({ ResultsByTime: all.slice(0, 30), NextPageToken: 'page-2' })
      .resolves({ ResultsByTime: all.slice(30) });
    const reply = (await cost.run(ctx('staging'), { days: 30, by: 'service' })) as Reply;
    expect(reply.tone).toBe('ok');
    expect(reply.text).toBe('staging: $15.00 in the last 30 days (+0 % against the 30 days before)');
    expect(renderReplyAsText(reply)).toContain('The whole account: add cost: { tag: { key, value } }');
    expect(ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input.NextPageToken)).toEqual([
      undefined,
      'page-2',
    ]);
    expect(ce.commandCalls(GetCostAndUsageCommand)[0].args[0].input.Filter).toBeUndefined();
  });

  it('DataUnavailableException, AccessDenied and throttling get clear replies', async () => {
    ce.on(GetCostAndUsageCommand).rejects(awsError('DataUnavailableException', 'Data is not available.'));
    await expect(cost.run(ctx(), { days: 30, by: 'service' })).rejects.toMatchObject({
      message: 'Cost Explorer has no cost data for this period yet (DataUnavailableException).',
      hint: expect.stringContaining('enabled once in the Billing console'),
    });
    ce.on(GetCostAndUsageCommand).rejects(
      awsError('AccessDeniedException', 'User is not authorized to perform: ce:GetCostAndUsage'),
    );
    await expect(cost.run(ctx(), { days: 30, by: 'service' })).rejects.toThrow('lacks `ce:GetCostAndUsage`');
    ce.reset();
    ce.on(GetCostAndUsageCommand)
      .rejectsOnce(awsError('LimitExceededException', 'Rate exceeded'))
      .resolves({ ResultsByTime: daily(2, () => ({ AWSLambda: 1 })) });
    const reply = (await cost.run(ctx(), { days: 1, by: 'region' })) as Reply;
    expect(reply.text).toBe('prod: $1.00 in the last day (+0 % against the day before)');
    expect(renderReplyAsText(reply)).toContain('Cost Explorer GetCostAndUsage was throttled; retried 1× with backoff.');
    expect(ce.commandCalls(GetCostAndUsageCommand).at(-1)!.args[0].input.GroupBy).toEqual([
      { Type: 'DIMENSION', Key: 'REGION' },
    ]);
  });

  it('a tag that matches nothing says how to activate it', async () => {
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: daily(14, () => ({})) });
    const reply = (await cost.run(ctx(), { days: 7, by: 'service' })) as Reply;
    expect(reply.text).toBe('prod: $0.00 in the last 7 days (nothing the 7 days before)');
    expect(renderReplyAsText(reply)).toContain(
      'Nothing costs anything with tag Environment=prod: is the tag activated under Billing → Cost allocation tags?',
    );
  });

  it('refuses days out of range with what to type', () => {
    const parsed = cost.args.safeParse({ days: '365' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toContain('use between 1 and 90 days');
    expect(cost.args.parse({})).toEqual({ days: 30, by: 'service' });
  });
});

describe('weekly cost report', () => {
  it('is a job scheduler on Monday 09:00 in the config’s time zone, and its job posts the report to the channel', async () => {
    const { config } = parseConfig(CONFIG, {});
    const schedules: { id: string; when: { pattern: string; tz: string }; name: string; envelope: JobEnvelope }[] = [];
    const jobs: JobScheduling = {
      enqueue: async () => ({}),
      upsertSchedule: async (id, when, name, envelope) => void schedules.push({ id, when, name, envelope }),
      scheduleIds: async () => schedules.map((s) => s.id),
      removeSchedule: async () => undefined,
    };
    const posted: { channel: string; reply: Reply }[] = [];
    const chat = {
      postJoining: async (channel: string, reply: Reply) => {
        posted.push({ channel, reply });
        return { channel, ts: '1.1' };
      },
    } as unknown as Chat;
    const feature = costReportFeature({
      jobs,
      chat,
      aws: new AwsClientFactory(),
      config,
      clock: () => NOW,
      log: createLogger('silent'),
    });
    await feature.startWorkers!();
    expect(schedules).toEqual([
      {
        id: COST_REPORT_SCHEDULER,
        when: { pattern: '0 9 * * 1', tz: 'Europe/Berlin' },
        name: COST_REPORT_JOB,
        envelope: { data: {}, meta: { title: 'Weekly cost report', requestedBy: 'opsbot' } },
      },
    ]);
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: daily(14, (i) => ({ AmazonS3: i < 7 ? 2 : 3 })) });
    const job = feature.jobs!.find((j) => j.name === COST_REPORT_JOB)!;
    const done = await job.run(
      {
        jobId: '1',
        config,
        log: createLogger('silent'),
        services: {} as never,
        signal: new AbortController().signal,
        progress: async () => undefined,
      },
      {},
    );
    // Only prod has a cost tag, so only prod is reported; 7 days against 7, as the guides review weekly.
    expect(done.text).toBe('Weekly cost report posted for prod');
    expect(posted.map((p) => [p.channel, p.reply.text])).toEqual([
      ['C0COSTS', 'prod: $21.00 in the last 7 days (+50 % against the 7 days before)'],
    ]);
    expect(posted[0].reply.files?.[0].filename).toBe('cost-prod.png');
  });
});
