import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/errors.js';
import { durationSchema, formatDuration } from '../src/duration.js';
import { settle } from '../src/aws/session.js';
import { describeEbResources } from '../src/aws/beanstalk.js';
import { describeRdsInstance, estimateMaxConnections } from '../src/aws/rds.js';
import { describeAlarms, getMetricData } from '../src/aws/cloudwatch.js';
import { periodFor, planMetrics, type MetricSource } from '../src/aws/metric-queries.js';
import { renderSvgToPng } from '../src/charts/png.js';
import { formatValue, judgeRows, renderMetrics, type MetricRowView, type MetricsView } from '../views/metrics.js';
import type { FiringAlarm } from '../views/metric-judge.js';
import { attachAlarms } from './metrics-alarms.js';
import { renderMetricsChartSvg } from '../views/chart.js';
import { isSelfHosted } from './self-hosted/parts.js';
import { stats, statsJob } from './stats.js';

const MIN_WINDOW = 5 * 60_000;
const MAX_WINDOW = 14 * 86_400_000;
/** Resolving the Beanstalk resources and RDS class must leave time for GetMetricData. */
const LOOKUP_DEADLINE_MS = 1500;

export const metrics = defineCommand({
  name: 'metrics',
  summary:
    'Key metrics (app CPU/memory, latency, error rates, RDS, cache) against their thresholds, with sparklines and a chart; for docker/pm2 environments, /ops stats',
  usage: '[env] [--since 1h]',
  examples: ['metrics', 'metrics prod --since 6h'],
  risk: 'read',
  args: z.object({ since: durationSchema.default(3_600_000) }),
  jobs: [statsJob],
  async run(ctx, args) {
    const { env } = ctx;
    if (args.since < MIN_WINDOW || args.since > MAX_WINDOW) {
      throw new UserError(
        `\`--since ${formatDuration(args.since)}\` is out of range: use between 5m and 14d.`,
        'For example: `/ops metrics --since 1h`',
      );
    }
    if (!env.ecs && !env.beanstalk && !env.rds && !env.elasticache && !env.loadBalancer) {
      // docker-compose and pm2 environments: their CPU and memory, as `/ops stats` (so the daily list's Run works).
      if (isSelfHosted(env)) return stats.run(ctx, { samples: 5, every: 2000 });
      throw new UserError(
        `\`${ctx.envName}\` has no AWS resources to read metrics for.`,
        'Add `ecs`, `beanstalk`, `rds`, `elasticache: { cluster }` or `loadBalancer` to this environment in ops.yml.',
      );
    }
    const started = Date.now();
    const now = ctx.services.clock();
    const start = new Date(now.getTime() - args.since);
    const s = ctx.aws();
    const lookup = ctx.aws({ deadlineMs: LOOKUP_DEADLINE_MS });
    const failed: { what: string; error: string }[] = [];

    // Beanstalk hides its Auto Scaling group and load balancer; RDS's max_connections follows the class.
    const needEb = Boolean(env.beanstalk && !env.ecs);
    const needClass = Boolean(env.rds && !env.rds.maxConnections);
    const [ebRes, db] = await Promise.all([
      needEb ? settle(describeEbResources(lookup, env.beanstalk!.environment)) : undefined,
      needClass ? settle(describeRdsInstance(lookup, env.rds!.instance)) : undefined,
    ]);
    if (ebRes && !ebRes.ok) failed.push({ what: 'Beanstalk resources (app CPU, memory)', error: ebRes.error });
    const maxConnections =
      env.rds?.maxConnections ?? (db?.ok ? estimateMaxConnections(db.value.instanceClass) : undefined);
    const plan = planMetrics({
      env,
      periodSeconds: periodFor(args.since),
      autoScalingGroup: ebRes?.ok ? ebRes.value.autoScalingGroups[0] : undefined,
      loadBalancer: env.loadBalancer ?? (ebRes?.ok ? ebRes.value.loadBalancers[0] : undefined),
      maxConnections,
    });
    const notes = [...plan.notes];
    if (maxConnections && !env.rds?.maxConnections && db?.ok)
      notes.push(
        `max connections ≈${maxConnections}, estimated from ${db.value.instanceClass}; set \`rds.maxConnections\` to be exact.`,
      );

    let rows: MetricRowView[] = [];
    let otherAlarms: FiringAlarm[] = [];
    const periodSeconds = periodFor(args.since);
    if (plan.queries.length) {
      // Alarms in the same call round: a firing alarm on a resource shown here must not sit under a green verdict.
      const [data, alarms] = await Promise.all([
        settle(getMetricData(s, plan.queries, start, now)),
        settle(describeAlarms(s, { all: false, prefix: env.alarms?.prefix })),
      ]);
      if (!data.ok) failed.push({ what: 'CloudWatch metrics', error: data.error });
      else rows = plan.specs.map((spec) => ({ ...spec, points: data.value.get(spec.id)?.points ?? [] }));
      if (!alarms.ok) failed.push({ what: 'CloudWatch alarms', error: alarms.error });
      else {
        const attached = attachAlarms(rows as (MetricRowView & { sources?: MetricSource[] })[], alarms.value.alarms, {
          byPrefix: Boolean(env.alarms?.prefix),
        });
        rows = attached.rows;
        otherAlarms = attached.others;
      }
    }
    const view: MetricsView = {
      env: ctx.envName,
      region: s.region,
      checkedAt: now,
      tookMs: Date.now() - started,
      windowMs: args.since,
      periodMs: periodSeconds * 1000,
      rows,
      otherAlarms,
      failed,
      notes: [...lookup.notes, ...s.notes, ...notes],
      timeZone: ctx.config.timezone,
    };
    const reply = renderMetrics(view);
    if (!rows.some((r) => r.points.length > 1)) return reply;
    // A picture of the window for those who would rather look than read.
    const svg = renderMetricsChartSvg({
      title: `${ctx.envName} — last ${formatDuration(args.since)}`,
      start,
      end: now,
      panels: judgeRows(view).map(({ row: r, j }) => ({
        title: `${r.group === 'App' ? '' : `${r.group} `}${r.label}`,
        latest: r.points.length ? formatValue(r.points.at(-1)!.value, r.unit) : '',
        tone: j.tone,
        points: r.points,
        limit: r.limit,
        percent: r.unit === '%' && !r.label.includes('rate'),
      })),
    });
    const png = renderSvgToPng(svg);
    return {
      ...reply,
      files: [
        ...(reply.files ?? []),
        {
          filename: `metrics-${ctx.envName}.png`,
          title: `${ctx.envName} metrics, last ${formatDuration(args.since)}`,
          content: png,
        },
      ],
    };
  },
});
