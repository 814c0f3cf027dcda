// Cost Explorer (AWS JSON 1.1, target AWSInsightsIndexService): GetCostAndUsage by day over a small
// account whose CloudFront bill is growing. Pure function of the date, so every call agrees.
import { AwsFault, type Input } from './protocol.js';
import type { Fleet } from './fleet.js';
import type { Handler } from './beanstalk.js';
import { noise } from './signals.js';

/** Daily cost per service, region and usage type; CloudFront grows ~2 % a day (a frontend getting popular). */
const SERVICES: { service: string; region: string; usageType: string; perDay: number; growth?: number }[] = [
  {
    service: 'Amazon Elastic Compute Cloud - Compute',
    region: 'us-east-1',
    usageType: 'BoxUsage:t3.medium',
    perDay: 14,
  },
  {
    service: 'Amazon Relational Database Service',
    region: 'us-east-1',
    usageType: 'InstanceUsage:db.t3.medium',
    perDay: 6.2,
  },
  {
    service: 'Amazon Elastic Container Service',
    region: 'us-east-1',
    usageType: 'Fargate-vCPU-Hours:perCPU',
    perDay: 4.1,
  },
  { service: 'Amazon ElastiCache', region: 'us-east-1', usageType: 'NodeUsage:cache.t3.small', perDay: 3 },
  { service: 'Amazon CloudFront', region: 'global', usageType: 'DataTransfer-Out-Bytes', perDay: 2.4, growth: 0.02 },
  { service: 'EC2 - Other', region: 'us-east-1', usageType: 'NatGateway-Hours', perDay: 1.8 },
  { service: 'AmazonCloudWatch', region: 'us-east-1', usageType: 'CW:MetricMonitorUsage', perDay: 1.1 },
  { service: 'Amazon Simple Storage Service', region: 'us-east-1', usageType: 'TimedStorage-ByteHrs', perDay: 0.9 },
];

const KEY: Record<string, 'service' | 'region' | 'usageType'> = {
  SERVICE: 'service',
  REGION: 'region',
  USAGE_TYPE: 'usageType',
};
const DAY = 86_400_000;
const parseDay = (s: unknown) =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : NaN;

export const costExplorer: Record<string, Handler> = {
  GetCostAndUsage: (input: Input, f: Fleet) => {
    const start = parseDay(input.TimePeriod?.Start);
    const end = parseDay(input.TimePeriod?.End);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start)
      throw new AwsFault('ValidationException', 'Start date (and hour) should be before end date (and hour)');
    const today = Math.floor(f.now() / DAY) * DAY;
    if (start > today)
      throw new AwsFault('DataUnavailableException', 'Data is not available. Please try to adjust the time period.');
    const metrics: string[] = input.Metrics ?? [];
    if (metrics.length === 0) throw new AwsFault('ValidationException', 'Metrics is required for GetCostAndUsage.');
    const group = KEY[String(input.GroupBy?.[0]?.Key ?? '')];
    // The demo's resources carry Environment=prod; any other tag value matches a small remainder.
    const tag = input.Filter?.Tags;
    const share = !tag ? 1 : (tag.Values ?? []).includes('prod') ? 0.85 : 0.05;
    const results = [];
    for (let t = start; t < Math.min(end, today + DAY); t += DAY) {
      const date = new Date(t).toISOString().slice(0, 10);
      const daysAgo = (today - t) / DAY;
      const amounts = new Map<string, number>();
      for (const s of SERVICES) {
        const base = s.perDay * (1 - (s.growth ?? 0) * daysAgo) * (0.92 + 0.16 * noise(`${s.service}/${date}`));
        // Today is still being metered: the hours so far.
        const sofar = t === today ? (f.now() - today) / DAY : 1;
        const key = group ? s[group] : 'total';
        amounts.set(key, (amounts.get(key) ?? 0) + Math.max(0, base) * share * sofar);
      }
      const money = (v: number) => Object.fromEntries(metrics.map((m) => [m, { Amount: v.toFixed(10), Unit: 'USD' }]));
      results.push({
        TimePeriod: { Start: date, End: new Date(t + DAY).toISOString().slice(0, 10) },
        Total: group ? {} : money(amounts.get('total') ?? 0),
        Groups: group ? [...amounts].map(([k, v]) => ({ Keys: [k], Metrics: money(v) })) : [],
        // The last two days settle within 24 hours.
        Estimated: daysAgo < 2,
      });
    }
    return {
      ResultsByTime: results,
      DimensionValueAttributes: [],
      GroupDefinitions: group ? [{ Type: 'DIMENSION', Key: input.GroupBy[0].Key }] : [],
    };
  },
};
