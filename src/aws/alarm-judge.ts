import type { AlarmGuide, RecommendedAlarm } from '../config/guide-alarms.js';

export interface Dimension {
  Name: string;
  Value: string;
}

/** A recommended alarm made concrete for one resource: what `--create` would put, JSON-serialisable (a frozen plan). */
export interface AlarmSpec {
  name: string;
  description: string;
  /** What it is about, for people: "RDS expo-project-prod-db", "ECS service backend". */
  about: string;
  namespace: string;
  metric: string;
  per?: string;
  dimensions: Dimension[];
  statistic: string;
  comparison: RecommendedAlarm['comparison'];
  threshold: number;
  period: number;
  evaluationPeriods: number;
}

/** An existing metric alarm, as much of it as the comparison needs. */
export interface ExistingAlarm {
  name: string;
  /** Every metric it watches: one, or each MetricStat of its metric math. */
  metrics: { namespace?: string; metric?: string; dimensions: Dimension[] }[];
  /** The metric math expression that returns data, if any. */
  expression?: string;
  statistic?: string;
  comparison?: string;
  threshold?: number;
  period?: number;
  evaluationPeriods?: number;
  actions: string[];
  actionsEnabled: boolean;
}

/** What the resources of an environment resolve to; a missing one says why (shown as "not checked"). */
export interface AlarmResources {
  rds: { id: string } | { why: string };
  /** The LoadBalancer dimension: "app/<name>/<id>". */
  alb: { id: string } | { why: string };
  targetGroups: { list: { name: string; id: string }[] } | { why: string };
  app: { list: { label: string; key: string; namespace: string; dimensions: Dimension[] }[] } | { why: string };
}

/** A recommendation for one resource, before it is compared. */
export interface Concrete {
  rec: RecommendedAlarm;
  spec: AlarmSpec;
}

export type Finding =
  | {
      status: 'ok' | 'differs' | 'missing';
      rec: RecommendedAlarm;
      spec: AlarmSpec;
      existing?: string;
      problems: string[];
    }
  | { status: 'skipped'; rec: RecommendedAlarm; why: string };

const OPS: Record<string, string> = {
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanOrEqualToThreshold: '≤',
};
const above = (op?: string) => op === 'GreaterThanThreshold' || op === 'GreaterThanOrEqualToThreshold';
const below = (op?: string) => op === 'LessThanThreshold' || op === 'LessThanOrEqualToThreshold';

/** Every recommended alarm of the guide, for each resource it applies to (or why it cannot be checked). */
export function concreteAlarms(guide: AlarmGuide, r: AlarmResources, prefix: string): (Concrete | Finding)[] {
  const out: (Concrete | Finding)[] = [];
  for (const rec of guide.alarms) {
    const spec = (about: string, key: string, namespace: string, dimensions: Dimension[]): Concrete => ({
      rec,
      spec: {
        name: `${prefix}-${key}`,
        description: `${rec.title} — ${guide.source} (created by opsbot)`,
        about,
        namespace,
        metric: rec.metric,
        per: rec.per,
        dimensions,
        statistic: rec.statistic,
        comparison: rec.comparison,
        threshold: rec.threshold,
        period: rec.period,
        evaluationPeriods: rec.evaluationPeriods,
      },
    });
    if (rec.resource === 'rds') {
      if ('why' in r.rds) out.push({ status: 'skipped', rec, why: r.rds.why });
      else out.push(spec(`RDS ${r.rds.id}`, rec.key, 'AWS/RDS', [{ Name: 'DBInstanceIdentifier', Value: r.rds.id }]));
    } else if (rec.resource === 'alb') {
      if ('why' in r.alb) out.push({ status: 'skipped', rec, why: r.alb.why });
      else
        out.push(spec(`ALB ${r.alb.id}`, rec.key, 'AWS/ApplicationELB', [{ Name: 'LoadBalancer', Value: r.alb.id }]));
    } else if (rec.resource === 'target-group') {
      if ('why' in r.targetGroups || 'why' in r.alb)
        out.push({ status: 'skipped', rec, why: 'why' in r.alb ? r.alb.why : (r.targetGroups as { why: string }).why });
      else {
        const lb = r.alb.id;
        for (const g of r.targetGroups.list)
          out.push(
            spec(`target group ${g.name}`, `${g.name}-${rec.key}`, 'AWS/ApplicationELB', [
              { Name: 'TargetGroup', Value: g.id },
              { Name: 'LoadBalancer', Value: lb },
            ]),
          );
      }
    } else if ('why' in r.app) out.push({ status: 'skipped', rec, why: r.app.why });
    else
      for (const a of r.app.list) {
        if (rec.ecsOnly && a.namespace !== 'AWS/ECS')
          out.push({
            status: 'skipped',
            rec,
            why: 'Beanstalk publishes no memory metric without the CloudWatch agent',
          });
        else out.push(spec(a.label, a.key ? `${a.key}-${rec.key}` : rec.key, a.namespace, a.dimensions));
      }
  }
  return out;
}

const sameDims = (a: Dimension[], b: Dimension[]) =>
  a.length === b.length && a.every((d) => b.some((e) => e.Name === d.Name && e.Value === d.Value));

function watches(e: ExistingAlarm, namespace: string, metric: string, dims: Dimension[]): boolean {
  return e.metrics.some((m) => m.namespace === namespace && m.metric === metric && sameDims(m.dimensions, dims));
}

/** Bytes (free storage) read as GB; everything else as is. */
const GiB = 1024 ** 3;
const amount = (n: number | undefined) =>
  n === undefined ? '?' : n >= GiB ? `${Math.round((n / GiB) * 10) / 10} GB` : String(n);

/** How an existing alarm on the same metric and resource differs from the guide's; empty when it does not. */
function differences(spec: AlarmSpec, e: ExistingAlarm): string[] {
  const problems: string[] = [];
  // A count's threshold cannot be compared with a percentage's: only the kind of alarm is wrong then.
  const countNotRate =
    spec.per !== undefined && !(e.expression && watches(e, spec.namespace, spec.per, spec.dimensions));
  if (countNotRate) problems.push(`watches the ${spec.metric} count, the guide a rate (% of ${spec.per})`);
  if (!spec.per && e.statistic && e.statistic.toLowerCase() !== spec.statistic.toLowerCase())
    problems.push(`statistic ${e.statistic}, guide ${spec.statistic}`);
  const dir = above(spec.comparison) ? above : below;
  if (!dir(e.comparison))
    problems.push(`fires ${OPS[e.comparison ?? ''] ?? e.comparison ?? '?'}, guide ${OPS[spec.comparison]}`);
  else if (!countNotRate && e.threshold !== spec.threshold) {
    const later = above(spec.comparison) ? (e.threshold ?? 0) > spec.threshold : (e.threshold ?? 0) < spec.threshold;
    problems.push(`threshold ${amount(e.threshold)}, guide ${amount(spec.threshold)}${later ? ' (fires later)' : ''}`);
  }
  const window = (e.period ?? 0) * (e.evaluationPeriods ?? 1);
  if (window !== spec.period * spec.evaluationPeriods)
    problems.push(`window ${window / 60} min, guide ${(spec.period * spec.evaluationPeriods) / 60} min`);
  if (!e.actionsEnabled || e.actions.length === 0) problems.push('notifies no one (no alarm action)');
  return problems;
}

/** Each concrete recommendation against the alarms that exist: the first match without problems, else the closest. */
export function judgeAlarms(concrete: (Concrete | Finding)[], existing: ExistingAlarm[]): Finding[] {
  return concrete.map((item) => {
    if ('status' in item) return item;
    const { rec, spec: c } = item;
    const candidates = existing.filter((e) => e.name === c.name || watches(e, c.namespace, c.metric, c.dimensions));
    const judged = candidates
      .map((e) => ({ e, problems: differences(c, e) }))
      .sort((a, b) => a.problems.length - b.problems.length);
    const best = judged[0];
    if (!best) return { status: 'missing', rec, spec: c, problems: [] };
    return {
      status: best.problems.length ? 'differs' : 'ok',
      rec,
      spec: c,
      existing: best.e.name,
      problems: best.problems,
    };
  });
}
