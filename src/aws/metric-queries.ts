import type { Dimension, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { EnvironmentConfig } from '../config/schema.js';

/** A limit from the guides: past `warn` is yellow, past `critical` red; `min` limits must stay above. */
export interface MetricLimit {
  kind: 'max' | 'min';
  warn: number;
  critical: number;
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

const GIB = 1024 ** 3;

/** A period that gives about 60 points over the window, in whole minutes as CloudWatch wants. */
export function periodFor(windowMs: number): number {
  return Math.max(60, Math.ceil(windowMs / 1000 / 60 / 60) * 60);
}

/** "arn:…:loadbalancer/app/web/50dc6c" → "app/web/50dc6c", the ALB's metric dimension. */
export function albDimension(nameOrArn: string): string | undefined {
  if (nameOrArn.startsWith('app/')) return nameOrArn;
  const m = /:loadbalancer\/(app\/[^/]+\/[^/]+)$/.exec(nameOrArn);
  return m?.[1];
}

const upTo = (t: number) => t + (100 - t) / 2;

/** Builds every query for `/ops metrics` so one GetMetricData call fetches them all. */
export function planMetrics(input: PlanInput): MetricPlan {
  const { env, periodSeconds: period } = input;
  const t = env.thresholds;
  const specs: MetricSpec[] = [];
  const queries: MetricDataQuery[] = [];
  const notes: string[] = [];
  const raw = (id: string, namespace: string, metric: string, dims: Record<string, string>, stat: string) => {
    const Dimensions: Dimension[] = Object.entries(dims).map(([Name, Value]) => ({ Name, Value }));
    queries.push({
      Id: id,
      MetricStat: { Metric: { Namespace: namespace, MetricName: metric, Dimensions }, Period: period, Stat: stat },
      ReturnData: false,
    });
  };
  const expr = (id: string, expression: string, label: string) =>
    queries.push({ Id: id, Expression: expression, Label: label, ReturnData: true });
  const shown = (
    id: string,
    namespace: string,
    metric: string,
    dims: Record<string, string>,
    stat: string,
    label: string,
  ) => {
    const Dimensions: Dimension[] = Object.entries(dims).map(([Name, Value]) => ({ Name, Value }));
    queries.push({
      Id: id,
      MetricStat: { Metric: { Namespace: namespace, MetricName: metric, Dimensions }, Period: period, Stat: stat },
      Label: label,
      ReturnData: true,
    });
  };
  const cpuLimit: MetricLimit = { kind: 'max', warn: t.cpuPercent, critical: upTo(t.cpuPercent) };
  const memLimit: MetricLimit = { kind: 'max', warn: t.memoryPercent, critical: upTo(t.memoryPercent) };

  // Application: ECS services, or the Beanstalk environment's instances.
  if (env.ecs) {
    env.ecs.services.forEach((service, i) => {
      const dims = { ClusterName: env.ecs!.cluster, ServiceName: service };
      const prefix = env.ecs!.services.length > 1 ? `${service} ` : '';
      shown(`app_cpu_${i}`, 'AWS/ECS', 'CPUUtilization', dims, 'Average', `${prefix}CPU`);
      shown(`app_mem_${i}`, 'AWS/ECS', 'MemoryUtilization', dims, 'Average', `${prefix}memory`);
      specs.push({ id: `app_cpu_${i}`, group: 'App', label: `${prefix}CPU`, unit: '%', limit: cpuLimit });
      specs.push({ id: `app_mem_${i}`, group: 'App', label: `${prefix}memory`, unit: '%', limit: memLimit });
    });
  } else if (env.beanstalk && input.autoScalingGroup) {
    const dims = { AutoScalingGroupName: input.autoScalingGroup };
    shown('app_cpu', 'AWS/EC2', 'CPUUtilization', dims, 'Average', 'CPU');
    shown('app_mem', 'CWAgent', 'mem_used_percent', dims, 'Average', 'memory');
    specs.push({ id: 'app_cpu', group: 'App', label: 'CPU', unit: '%', limit: cpuLimit });
    specs.push({
      id: 'app_mem',
      group: 'App',
      label: 'memory',
      unit: '%',
      limit: memLimit,
      missingHint: 'EC2 memory needs the CloudWatch agent (mem_used_percent aggregated by AutoScalingGroupName)',
    });
  }

  // Requests: the load balancer's view, else Beanstalk's enhanced health metrics.
  const lb = input.loadBalancer ?? env.loadBalancer;
  const alb = lb ? albDimension(lb) : undefined;
  const p95: MetricLimit = { kind: 'max', warn: t.p95LatencyMs, critical: t.p95LatencyMs * 2 };
  const p99: MetricLimit = { kind: 'max', warn: t.p95LatencyMs * 2, critical: Math.max(5000, t.p95LatencyMs * 4) };
  const err5: MetricLimit = { kind: 'max', warn: t.errorRatePercent, critical: t.errorRatePercent * 5 };
  const err4: MetricLimit = {
    kind: 'max',
    warn: t.errorRatePercent,
    critical: t.errorRatePercent * 5,
    worstTone: 'warning',
  };
  const requestSpecs = () => {
    specs.push({ id: 'lat_p95', group: 'App', label: 'latency p95', unit: 'ms', limit: p95 });
    specs.push({ id: 'lat_p99', group: 'App', label: 'latency p99', unit: 'ms', limit: p99 });
    specs.push({
      id: 'rate_5xx',
      group: 'App',
      label: '5xx rate',
      unit: '%',
      limit: err5,
      missingHint: 'no requests in the window',
    });
    specs.push({
      id: 'rate_4xx',
      group: 'App',
      label: '4xx rate',
      unit: '%',
      limit: err4,
      missingHint: 'no requests in the window',
    });
  };
  if (alb) {
    const dims = { LoadBalancer: alb };
    raw('lat_p95_s', 'AWS/ApplicationELB', 'TargetResponseTime', dims, 'p95');
    raw('lat_p99_s', 'AWS/ApplicationELB', 'TargetResponseTime', dims, 'p99');
    raw('req', 'AWS/ApplicationELB', 'RequestCount', dims, 'Sum');
    raw('t5', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', dims, 'Sum');
    raw('e5', 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', dims, 'Sum');
    raw('t4', 'AWS/ApplicationELB', 'HTTPCode_Target_4XX_Count', dims, 'Sum');
    expr('lat_p95', '1000*lat_p95_s', 'latency p95');
    expr('lat_p99', '1000*lat_p99_s', 'latency p99');
    expr('rate_5xx', '100*(FILL(t5,0)+FILL(e5,0))/req', '5xx rate');
    expr('rate_4xx', '100*FILL(t4,0)/req', '4xx rate');
    requestSpecs();
  } else if (lb) {
    notes.push(
      `Load balancer \`${lb}\` is not an Application Load Balancer; latency and error rates come from ALBs only.`,
    );
  } else if (env.beanstalk) {
    const dims = { EnvironmentName: env.beanstalk.environment };
    raw('lat_p95_s', 'AWS/ElasticBeanstalk', 'ApplicationLatencyP95', dims, 'Average');
    raw('lat_p99_s', 'AWS/ElasticBeanstalk', 'ApplicationLatencyP99', dims, 'Average');
    raw('req', 'AWS/ElasticBeanstalk', 'ApplicationRequestsTotal', dims, 'Sum');
    raw('t5', 'AWS/ElasticBeanstalk', 'ApplicationRequests5xx', dims, 'Sum');
    raw('t4', 'AWS/ElasticBeanstalk', 'ApplicationRequests4xx', dims, 'Sum');
    expr('lat_p95', '1000*lat_p95_s', 'latency p95');
    expr('lat_p99', '1000*lat_p99_s', 'latency p99');
    expr('rate_5xx', '100*FILL(t5,0)/req', '5xx rate');
    expr('rate_4xx', '100*FILL(t4,0)/req', '4xx rate');
    requestSpecs();
    notes.push(
      'Latency and error rates come from Beanstalk enhanced health metrics; set `loadBalancer` in ops.yml to use the ALB instead.',
    );
  } else if (env.ecs) {
    notes.push(
      'Latency and error rates need the service\'s load balancer: add `loadBalancer: "app/<name>/<id>"` to this environment in ops.yml.',
    );
  }

  if (env.rds) {
    const dims = { DBInstanceIdentifier: env.rds.instance };
    shown('db_cpu', 'AWS/RDS', 'CPUUtilization', dims, 'Average', 'DB CPU');
    specs.push({ id: 'db_cpu', group: 'Database', label: 'CPU', unit: '%', limit: cpuLimit });
    if (input.maxConnections) {
      raw('db_conn_n', 'AWS/RDS', 'DatabaseConnections', dims, 'Maximum');
      expr('db_conn', `100*db_conn_n/${input.maxConnections}`, 'connections');
      specs.push({
        id: 'db_conn',
        group: 'Database',
        label: `connections (of ${input.maxConnections})`,
        unit: '%',
        limit: { kind: 'max', warn: t.dbConnectionsPercent, critical: upTo(t.dbConnectionsPercent) },
      });
    } else {
      shown('db_conn', 'AWS/RDS', 'DatabaseConnections', dims, 'Maximum', 'connections');
      specs.push({ id: 'db_conn', group: 'Database', label: 'connections', unit: 'count' });
      notes.push(
        'DB connections are shown as a count: set `rds.maxConnections` in ops.yml to compare them with the maximum.',
      );
    }
    raw('db_free_b', 'AWS/RDS', 'FreeStorageSpace', dims, 'Minimum');
    expr('db_free', `db_free_b/${GIB}`, 'free storage');
    specs.push({
      id: 'db_free',
      group: 'Database',
      label: 'free storage',
      unit: 'GB',
      limit: { kind: 'min', warn: t.freeStorageGb, critical: t.freeStorageGb * 0.4 },
    });
    raw('db_rlat_s', 'AWS/RDS', 'ReadLatency', dims, 'Average');
    raw('db_wlat_s', 'AWS/RDS', 'WriteLatency', dims, 'Average');
    expr('db_rlat', '1000*db_rlat_s', 'read latency');
    expr('db_wlat', '1000*db_wlat_s', 'write latency');
    // The guides: read/write latency < 50 ms.
    specs.push({
      id: 'db_rlat',
      group: 'Database',
      label: 'read latency',
      unit: 'ms',
      limit: { kind: 'max', warn: 50, critical: 100 },
    });
    specs.push({
      id: 'db_wlat',
      group: 'Database',
      label: 'write latency',
      unit: 'ms',
      limit: { kind: 'max', warn: 50, critical: 100 },
    });
  }

  if (env.elasticache) {
    const dims = { CacheClusterId: env.elasticache.cluster };
    shown('cache_cpu', 'AWS/ElastiCache', 'EngineCPUUtilization', dims, 'Average', 'cache CPU');
    shown('cache_mem', 'AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', dims, 'Average', 'cache memory');
    raw('cache_hits', 'AWS/ElastiCache', 'CacheHits', dims, 'Sum');
    raw('cache_miss', 'AWS/ElastiCache', 'CacheMisses', dims, 'Sum');
    expr('cache_hit', '100*cache_hits/(cache_hits+cache_miss)', 'hit ratio');
    specs.push({ id: 'cache_cpu', group: 'Cache', label: 'CPU', unit: '%', limit: cpuLimit });
    specs.push({ id: 'cache_mem', group: 'Cache', label: 'memory', unit: '%', limit: memLimit });
    specs.push({
      id: 'cache_hit',
      group: 'Cache',
      label: 'hit ratio',
      unit: '%',
      limit: { kind: 'min', warn: t.cacheHitPercent, critical: Math.max(0, t.cacheHitPercent - 10) },
      missingHint: 'no cache reads in the window',
    });
  }
  return { specs, queries, notes };
}
