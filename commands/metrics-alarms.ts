import type { AlarmInfo } from '../src/aws/cloudwatch.js';
import type { MetricSource } from '../src/aws/metric-queries.js';
import type { FiringAlarm } from '../views/metric-judge.js';

/** One of an alarm's metrics is this source when namespace and metric agree and its dimensions are among the source's. */
function sameMetric(a: NonNullable<AlarmInfo['sources']>[number], src: MetricSource): boolean {
  return (
    a.namespace === src.namespace &&
    a.metric === src.metric &&
    Object.entries(a.dimensions).every(([k, v]) => src.dimensions[k] === v)
  );
}

/** How many of the alarm's metrics a row is computed from (a metric-math alarm has several). */
function coverage(alarm: AlarmInfo, row: { sources?: MetricSource[] }): number {
  return (alarm.sources ?? []).filter((a) => (row.sources ?? []).some((src) => sameMetric(a, src))).length;
}

/** Is the alarm about one of these resources (any of its dimension values names one)? */
function onResources(alarm: AlarmInfo, resources: Set<string>): boolean {
  return (alarm.sources ?? []).some((a) => Object.values(a.dimensions).some((v) => resources.has(v)));
}

/**
 * Puts each firing alarm beside the rows of the metric it watches (see above); the rest that are about this
 * environment (by prefix or resource) come back as `others`, so none is left out of the verdict.
 */
export function attachAlarms<R extends { sources?: MetricSource[] }>(
  rows: R[],
  alarms: AlarmInfo[],
  opts: { byPrefix: boolean },
): { rows: (R & { alarms: FiringAlarm[] })[]; others: FiringAlarm[] } {
  const firing = alarms.filter((a) => a.state === 'ALARM');
  const used = new Set<AlarmInfo>();
  // An alarm sits beside the rows made of the most of its metrics: a 5xx-rate alarm (5xx count / requests)
  // beside the 5xx rate, not beside the request count it divides by.
  const best = new Map(firing.map((a) => [a, Math.max(0, ...rows.map((row) => coverage(a, row)))]));
  const out = rows.map((row) => {
    const mine = firing.filter((a) => best.get(a)! > 0 && coverage(a, row) === best.get(a));
    mine.forEach((a) => used.add(a));
    return { ...row, alarms: mine.map((a) => ({ name: a.name, since: a.updatedAt })) };
  });
  const resources = new Set(rows.flatMap((r) => (r.sources ?? []).flatMap((s) => Object.values(s.dimensions))));
  const others = firing
    .filter((a) => !used.has(a) && (opts.byPrefix || onResources(a, resources)))
    .map((a) => ({ name: a.name, since: a.updatedAt }));
  return { rows: out, others };
}
