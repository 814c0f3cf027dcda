import type { Dimension, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { MetricPlan, MetricSource, MetricSpec, PlanInput } from './metric-spec.js';
import { planCache, planDatabase } from './metric-plan-stores.js';
import { max } from './metric-spec.js';

export type { MetricLimit, MetricPlan, MetricSource, MetricSpec, PlanInput } from './metric-spec.js';

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

/** Builds every query for `/ops metrics` so one GetMetricData call fetches them all. */
export function planMetrics(input: PlanInput): MetricPlan {
  const { env, periodSeconds: period } = input;
  const t = env.thresholds;
  const specs: MetricSpec[] = [];
  const queries: MetricDataQuery[] = [];
  const notes: string[] = [];
  const stat = (id: string, src: MetricSource, s: string, label?: string) => {
    const Dimensions: Dimension[] = Object.entries(src.dimensions).map(([Name, Value]) => ({ Name, Value }));
    queries.push({
      Id: id,
      MetricStat: { Metric: { Namespace: src.namespace, MetricName: src.metric, Dimensions }, Period: period, Stat: s },
      ...(label ? { Label: label, ReturnData: true } : { ReturnData: false }),
    });
    return src;
  };
  const expr = (id: string, expression: string, label: string) =>
    queries.push({ Id: id, Expression: expression, Label: label, ReturnData: true });
  const src = (namespace: string, metric: string, dimensions: Record<string, string>): MetricSource => ({
    namespace,
    metric,
    dimensions,
  });

  // Application: ECS services, or the Beanstalk environment's instances.
  if (env.ecs) {
    env.ecs.services.forEach((service, i) => {
      const dims = { ClusterName: env.ecs!.cluster, ServiceName: service };
      const prefix = env.ecs!.services.length > 1 ? `${service} ` : '';
      const cpu = stat(`app_cpu_${i}`, src('AWS/ECS', 'CPUUtilization', dims), 'Average', `${prefix}CPU`);
      const mem = stat(`app_mem_${i}`, src('AWS/ECS', 'MemoryUtilization', dims), 'Average', `${prefix}memory`);
      specs.push({
        id: `app_cpu_${i}`,
        group: 'App',
        label: `${prefix}CPU`,
        unit: '%',
        limit: max(t.app.cpuPercent),
        sources: [cpu],
      });
      specs.push({
        id: `app_mem_${i}`,
        group: 'App',
        label: `${prefix}memory`,
        unit: '%',
        limit: max(t.app.memoryPercent),
        sources: [mem],
      });
    });
  } else if (env.beanstalk && input.autoScalingGroup) {
    const dims = { AutoScalingGroupName: input.autoScalingGroup };
    const cpu = stat('app_cpu', src('AWS/EC2', 'CPUUtilization', dims), 'Average', 'CPU');
    const mem = stat('app_mem', src('CWAgent', 'mem_used_percent', dims), 'Average', 'memory');
    specs.push({ id: 'app_cpu', group: 'App', label: 'CPU', unit: '%', limit: max(t.app.cpuPercent), sources: [cpu] });
    specs.push({
      id: 'app_mem',
      group: 'App',
      label: 'memory',
      unit: '%',
      limit: max(t.app.memoryPercent),
      sources: [mem],
      missingHint: 'EC2 memory needs the CloudWatch agent (mem_used_percent aggregated by AutoScalingGroupName)',
    });
  }

  // Requests: the load balancer's view, else Beanstalk's enhanced health metrics.
  const lb = input.loadBalancer ?? env.loadBalancer;
  const alb = lb ? albDimension(lb) : undefined;
  const requestSpecs = (lat: MetricSource[], e5: MetricSource[], e4: MetricSource[]) => {
    specs.push({
      id: 'lat_p95',
      group: 'App',
      label: 'latency p95',
      unit: 'ms',
      limit: max(t.app.p95LatencyMs),
      sources: lat,
    });
    specs.push({
      id: 'lat_p99',
      group: 'App',
      label: 'latency p99',
      unit: 'ms',
      limit: max(t.app.p99LatencyMs),
      sources: lat,
    });
    specs.push({
      id: 'rate_5xx',
      group: 'App',
      label: '5xx rate',
      unit: '%',
      limit: max(t.app.error5xxPercent),
      sources: e5,
      missingHint: 'no requests in the window',
    });
    specs.push({
      id: 'rate_4xx',
      group: 'App',
      label: '4xx rate',
      unit: '%',
      // 4xx are mostly the clients' own mistakes: never more than yellow.
      limit: max(t.app.error4xxPercent, { worstTone: 'warning' }),
      sources: e4,
      missingHint: 'no requests in the window',
    });
  };
  if (alb) {
    const dims = { LoadBalancer: alb };
    const ns = 'AWS/ApplicationELB';
    const lat = stat('lat_p95_s', src(ns, 'TargetResponseTime', dims), 'p95');
    stat('lat_p99_s', lat, 'p99');
    // Returned too (not only used by the rates): the request volume beside its errors.
    const req = stat('req', src(ns, 'RequestCount', dims), 'Sum', 'requests');
    const t5 = stat('t5', src(ns, 'HTTPCode_Target_5XX_Count', dims), 'Sum');
    const e5 = stat('e5', src(ns, 'HTTPCode_ELB_5XX_Count', dims), 'Sum');
    const t4 = stat('t4', src(ns, 'HTTPCode_Target_4XX_Count', dims), 'Sum');
    expr('lat_p95', '1000*lat_p95_s', 'latency p95');
    expr('lat_p99', '1000*lat_p99_s', 'latency p99');
    expr('rate_5xx', '100*(FILL(t5,0)+FILL(e5,0))/req', '5xx rate');
    expr('rate_4xx', '100*FILL(t4,0)/req', '4xx rate');
    // A rate is made of its errors and the requests it divides by, as a metric-math alarm on it is.
    requestSpecs([lat], [t5, e5, req], [t4, req]);
    specs.push({ id: 'req', group: 'App', label: `requests per ${period / 60} min`, unit: 'count', sources: [req] });
  } else if (lb) {
    notes.push(
      `Load balancer \`${lb}\` is not an Application Load Balancer; latency and error rates come from ALBs only.`,
    );
  } else if (env.beanstalk) {
    const dims = { EnvironmentName: env.beanstalk.environment };
    const ns = 'AWS/ElasticBeanstalk';
    const p95 = stat('lat_p95_s', src(ns, 'ApplicationLatencyP95', dims), 'Average');
    const p99 = stat('lat_p99_s', src(ns, 'ApplicationLatencyP99', dims), 'Average');
    const req = stat('req', src(ns, 'ApplicationRequestsTotal', dims), 'Sum');
    const t5 = stat('t5', src(ns, 'ApplicationRequests5xx', dims), 'Sum');
    const t4 = stat('t4', src(ns, 'ApplicationRequests4xx', dims), 'Sum');
    expr('lat_p95', '1000*lat_p95_s', 'latency p95');
    expr('lat_p99', '1000*lat_p99_s', 'latency p99');
    expr('rate_5xx', '100*FILL(t5,0)/req', '5xx rate');
    expr('rate_4xx', '100*FILL(t4,0)/req', '4xx rate');
    requestSpecs([p95, p99], [t5, req], [t4, req]);
    notes.push(
      'Latency and error rates come from Beanstalk enhanced health metrics; set `loadBalancer` in ops.yml to use the ALB instead.',
    );
  } else if (env.ecs) {
    notes.push(
      'Latency and error rates need the service\'s load balancer: add `loadBalancer: "app/<name>/<id>"` to this environment in ops.yml.',
    );
  }

  if (env.rds) planDatabase(input, { stat, expr, src, specs, notes });
  if (env.elasticache) planCache(input, { stat, expr, src, specs, notes });
  return { specs, queries, notes };
}
