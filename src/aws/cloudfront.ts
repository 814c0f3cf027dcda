import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { UserError } from '../errors.js';
import type { AwsSession } from './session.js';
import { cloudfront } from './sdk.js';

/** CloudFront's own metrics live in CloudWatch in us-east-1, with Region=Global (CloudFront Developer Guide). */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

export interface DistributionInfo {
  id: string;
  domain?: string;
  /** "Deployed", or "InProgress" while a configuration change propagates. */
  status: string;
  enabled: boolean;
  aliases: string[];
  comment?: string;
  lastModified?: Date;
  /** Invalidations CloudFront is working on now. */
  inProgressInvalidations?: number;
}

export interface InvalidationInfo {
  id: string;
  /** "InProgress" or "Completed". */
  status: string;
  createdAt?: Date;
  paths: string[];
}

export async function getDistribution(s: AwsSession, id: string): Promise<DistributionInfo> {
  const out = await s
    .call('cloudfront:GetDistribution', (abortSignal) =>
      s.clients.cloudfront.send(new cloudfront.GetDistributionCommand({ Id: id }), { abortSignal }),
    )
    .catch((err: unknown) => {
      if ((err as { kind?: string }).kind !== 'not-found') throw err;
      throw new UserError(
        `CloudFront has no distribution \`${id}\` in this account.`,
        'Check `cloudfront.distribution` in ops.yml (the id, E…, from the CloudFront console), and that opsbot uses the right account.',
      );
    });
  const d = out.Distribution;
  if (!d) throw new UserError(`CloudFront returned no distribution \`${id}\`.`);
  return {
    id: d.Id ?? id,
    domain: d.DomainName,
    status: d.Status ?? 'unknown',
    enabled: d.DistributionConfig?.Enabled !== false,
    aliases: d.DistributionConfig?.Aliases?.Items ?? [],
    comment: d.DistributionConfig?.Comment || undefined,
    lastModified: d.LastModifiedTime,
    inProgressInvalidations: d.InProgressInvalidationBatches,
  };
}

/**
 * Whether the distribution has CloudFront's additional metrics (CacheHitRate, OriginLatency …),
 * which are off by default and charged per metric. Undefined when it could not be read.
 */
export async function additionalMetricsEnabled(s: AwsSession, id: string): Promise<boolean> {
  try {
    const out = await s.call('cloudfront:GetMonitoringSubscription', (abortSignal) =>
      s.clients.cloudfront.send(new cloudfront.GetMonitoringSubscriptionCommand({ DistributionId: id }), {
        abortSignal,
      }),
    );
    return (
      out.MonitoringSubscription?.RealtimeMetricsSubscriptionConfig?.RealtimeMetricsSubscriptionStatus === 'Enabled'
    );
  } catch (err) {
    // Never turned on: CloudFront answers NoSuchMonitoringSubscription.
    if ((err as { kind?: string }).kind === 'not-found') return false;
    throw err;
  }
}

/**
 * CreateInvalidation. `callerReference` comes from the frozen plan, so a retried job asks for the same
 * invalidation again and CloudFront returns the one it already made instead of a second one.
 */
export async function createInvalidation(
  s: AwsSession,
  distribution: string,
  paths: string[],
  callerReference: string,
): Promise<InvalidationInfo> {
  const out = await s.call('cloudfront:CreateInvalidation', async (abortSignal) => {
    try {
      return await s.clients.cloudfront.send(
        new cloudfront.CreateInvalidationCommand({
          DistributionId: distribution,
          InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
        }),
        { abortSignal },
      );
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'TooManyInvalidationsInProgress')
        throw new UserError(
          `CloudFront already has too many invalidations in progress for \`${distribution}\` (at most 3,000 paths, or 15 with a *, at a time).`,
          'Wait for those to complete (a few minutes), or invalidate `/*` once instead of many paths.',
        );
      if (name === 'InvalidationBatchAlreadyExists')
        throw new UserError(
          `CloudFront already has an invalidation with this plan's reference but other paths; nothing new was invalidated.`,
          'Ask again with `/ops cdn invalidate` to make a new plan.',
        );
      throw err;
    }
  });
  return invalidationInfo(out.Invalidation, paths);
}

export async function getInvalidation(s: AwsSession, distribution: string, id: string): Promise<InvalidationInfo> {
  const out = await s.call('cloudfront:GetInvalidation', (abortSignal) =>
    s.clients.cloudfront.send(new cloudfront.GetInvalidationCommand({ DistributionId: distribution, Id: id }), {
      abortSignal,
    }),
  );
  return invalidationInfo(out.Invalidation, []);
}

function invalidationInfo(
  inv:
    | { Id?: string; Status?: string; CreateTime?: Date; InvalidationBatch?: { Paths?: { Items?: string[] } } }
    | undefined,
  fallbackPaths: string[],
): InvalidationInfo {
  if (!inv?.Id) throw new UserError('CloudFront answered without an invalidation id.');
  return {
    id: inv.Id,
    status: inv.Status ?? 'unknown',
    createdAt: inv.CreateTime,
    paths: inv.InvalidationBatch?.Paths?.Items ?? fallbackPaths,
  };
}

/** One row of /ops cdn: the id of its GetMetricData result, already in its unit. */
export interface CdnMetricSpec {
  id: string;
  label: string;
  unit: '%' | 'count';
  metric: string;
  /** Needs CloudFront's additional metrics. */
  additional?: boolean;
}

export const CDN_METRICS: CdnMetricSpec[] = [
  { id: 'cf_4xx', label: '4xx rate', unit: '%', metric: '4xxErrorRate' },
  { id: 'cf_5xx', label: '5xx rate', unit: '%', metric: '5xxErrorRate' },
  { id: 'cf_err', label: 'total error rate', unit: '%', metric: 'TotalErrorRate' },
  { id: 'cf_hit', label: 'cache hit rate', unit: '%', metric: 'CacheHitRate', additional: true },
  { id: 'cf_req', label: 'requests', unit: 'count', metric: 'Requests' },
];

/** The GetMetricData queries of /ops cdn: rates as CloudWatch averages them, requests summed per period. */
export function cdnMetricQueries(distribution: string, periodSeconds: number): MetricDataQuery[] {
  return CDN_METRICS.map((m) => ({
    Id: m.id,
    Label: m.label,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/CloudFront',
        MetricName: m.metric,
        Dimensions: [
          { Name: 'DistributionId', Value: distribution },
          { Name: 'Region', Value: 'Global' },
        ],
      },
      Period: periodSeconds,
      Stat: m.unit === 'count' ? 'Sum' : 'Average',
    },
  }));
}
