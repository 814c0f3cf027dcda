import type { EnvironmentConfig } from '../config/schema.js';
import type { Line } from '../config/thresholds.js';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';

/** A limit from the guides: past `warn` is yellow, past `critical` red; `min` limits must stay above. */
export interface MetricLimit {
  kind: 'max' | 'min';
  warn: number;
  critical: number;
  /** Red only once past `critical` for this long (the guides' "for 10 minutes"); shorter is yellow. */
  forMs?: number;
  /** 4xx are mostly the clients' own mistakes: never more than yellow. */
  worstTone?: 'warning';
}

export interface MetricSpec {
  /** Id of the GetMetricData result that holds this metric, already in `unit`. */
  id: string;
  group: 'App' | 'Database' | 'Cache';
  label: string;
  unit: '%' | 'ms' | 'GB' | 'count';
  limit?: MetricLimit;
  /** Why there may be no data, shown when there is none. */
  missingHint?: string;
  /** The CloudWatch metrics behind this row, so a firing alarm on them can be put beside it. */
  sources?: MetricSource[];
}

/** One CloudWatch metric of one resource: an alarm on the same namespace, name and dimensions is about this row. */
export interface MetricSource {
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
}

export interface MetricPlan {
  specs: MetricSpec[];
  queries: MetricDataQuery[];
  notes: string[];
}

export interface PlanInput {
  env: EnvironmentConfig;
  periodSeconds: number;
  /** Elastic Beanstalk's Auto Scaling group and load balancer (from DescribeEnvironmentResources). */
  autoScalingGroup?: string;
  loadBalancer?: string;
  /** RDS max_connections (configured or estimated from the instance class). */
  maxConnections?: number;
}

export const max = (l: Line, extra: Partial<MetricLimit> = {}): MetricLimit => ({
  kind: 'max',
  warn: l.warn,
  critical: l.critical,
  forMs: l.forMs,
  ...extra,
});
export const min = (l: Line): MetricLimit => ({ kind: 'min', warn: l.warn, critical: l.critical, forMs: l.forMs });

/** What the planners of each component share: query builders and the lists they fill. */
export interface PlanBuilder {
  stat: (id: string, src: MetricSource, s: string, label?: string) => MetricSource;
  expr: (id: string, expression: string, label: string) => void;
  src: (namespace: string, metric: string, dimensions: Record<string, string>) => MetricSource;
  specs: MetricSpec[];
  notes: string[];
}
