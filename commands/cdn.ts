import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { UserError } from '../src/errors.js';
import { durationSchema, formatDuration } from '../src/duration.js';
import { settle, type AwsSession } from '../src/aws/session.js';
import { getMetricData } from '../src/aws/cloudwatch.js';
import { periodFor } from '../src/aws/metric-queries.js';
import {
  CDN_METRICS,
  CLOUDFRONT_METRICS_REGION,
  additionalMetricsEnabled,
  cdnMetricQueries,
  getDistribution,
  type CdnMetricSpec,
} from '../src/aws/cloudfront.js';
import { CDN_TARGETS, type CloudfrontConfig } from '../src/config/cdn-cost.js';
import type { JudgedLimit } from '../views/metric-judge.js';
import type { MetricRowView } from '../views/metrics.js';
import { renderCdn } from '../views/cdn.js';

/** The environment's distribution, or what to add to ops.yml. */
export function cloudfrontOf(ctx: CommandContext): CloudfrontConfig {
  const cf = ctx.env.cloudfront;
  if (!cf)
    throw new UserError(
      `\`${ctx.envName}\` has no CloudFront distribution configured.`,
      'Add `cloudfront: { distribution: E1A2B3C4D5E6F7 }` to this environment in ops.yml.',
    );
  return cf;
}

/** CloudFront's API and its metrics both answer in us-east-1, whatever the environment's region. */
export function cloudfrontSession(ctx: CommandContext): AwsSession {
  return ctx.services.aws.session({ ...ctx.env, region: CLOUDFRONT_METRICS_REGION });
}

const LIMITS: Record<string, JudgedLimit | undefined> = {
  cf_4xx: { kind: 'max', ...CDN_TARGETS.error4xxPercent, worstTone: 'warning' },
  cf_5xx: { kind: 'max', ...CDN_TARGETS.error5xxPercent },
  cf_err: { kind: 'max', ...CDN_TARGETS.totalErrorPercent, worstTone: 'warning' },
  cf_hit: { kind: 'min', ...CDN_TARGETS.cacheHitPercent, worstTone: 'warning' },
};

function missingHint(m: CdnMetricSpec, additional: boolean | undefined): string | undefined {
  if (m.additional)
    return additional === false
      ? `${m.metric} is one of CloudFront's additional metrics, which are off for this distribution: turn them on in the console (distribution → Telemetry → Monitoring; charged per metric)`
      : `${m.metric} needs CloudFront's additional metrics turned on for this distribution`;
  return m.unit === 'count' ? 'no requests reached CloudFront in the window' : 'no requests in the window';
}

export const cdn = defineCommand({
  name: 'cdn',
  summary:
    "The CloudFront distribution: status, 4xx/5xx/total error rates and cache hit rate against the Expo guide's targets",
  usage: '[env] [--since 1h]',
  examples: ['cdn', 'cdn prod --since 6h'],
  risk: 'read',
  args: z.object({ since: durationSchema.default(3_600_000) }),
  async run(ctx, args) {
    const cf = cloudfrontOf(ctx);
    if (args.since < 5 * 60_000 || args.since > 14 * 86_400_000)
      throw new UserError(
        `\`--since ${formatDuration(args.since)}\` is out of range: use between 5m and 14d.`,
        'For example: `/ops cdn --since 6h`',
      );
    const started = Date.now();
    const now = ctx.services.clock();
    const periodSeconds = periodFor(args.since);
    const s = cloudfrontSession(ctx);
    const [dist, additional, data] = await Promise.all([
      settle(getDistribution(s, cf.distribution)),
      settle(additionalMetricsEnabled(s, cf.distribution)),
      settle(
        getMetricData(s, cdnMetricQueries(cf.distribution, periodSeconds), new Date(now.getTime() - args.since), now),
      ),
    ]);
    const failed = data.ok ? [] : [{ what: 'CloudFront metrics (CloudWatch, us-east-1)', error: data.error }];
    const known = additional.ok ? additional.value : undefined;
    const rows: MetricRowView[] = data.ok
      ? CDN_METRICS.map((m) => ({
          group: 'CloudFront',
          label: m.unit === 'count' ? `requests per ${periodSeconds / 60} min` : m.label,
          unit: m.unit,
          limit: LIMITS[m.id],
          points: data.value.get(m.id)?.points ?? [],
          missingHint: missingHint(m, known),
        }))
      : [];
    const notes = [...s.notes];
    if (!additional.ok) notes.push(`Could not tell whether additional metrics are on: ${additional.error}`);
    return renderCdn({
      distribution: dist.ok ? dist : { ok: false, error: dist.error, id: cf.distribution },
      metrics: {
        env: ctx.envName,
        region: CLOUDFRONT_METRICS_REGION,
        checkedAt: now,
        tookMs: Date.now() - started,
        windowMs: args.since,
        periodMs: periodSeconds * 1000,
        rows,
        failed,
        notes,
        timeZone: ctx.config.timezone,
      },
    });
  },
});
