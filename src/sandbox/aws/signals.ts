// The simulated fleet's telemetry: metrics with a daily rhythm, an alarm that
// fires and clears on a schedule, and log lines. Pure functions of time, so
// every process asking for the same minute gets the same numbers.
import { cloudfrontMetric } from './cloudfront-signals.js';

/** A stable pseudo-random number in [0, 1) for a key. */
export function noise(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** 0 at 03:00 UTC, 1 at 15:00 UTC: traffic follows the working day. */
export function dailyLoad(t: number): number {
  const hours = (t / 3_600_000) % 24;
  return 0.5 - 0.5 * Math.cos(((hours - 3) / 24) * 2 * Math.PI);
}

export interface AlarmWindow {
  /** Milliseconds after the simulator started when the first incident begins. */
  firstAfterMs: number;
  everyMs: number;
  lastsMs: number;
}

/** The latency alarm fires soon after start (so a newcomer sees one), then every few minutes. */
export const LATENCY_INCIDENT: AlarmWindow = { firstAfterMs: 45_000, everyMs: 10 * 60_000, lastsMs: 150_000 };

/** Start of the incident window containing t, if t is inside one. */
export function incidentAt(t: number, startedAt: number, w: AlarmWindow = LATENCY_INCIDENT): number | undefined {
  const since = t - startedAt - w.firstAfterMs;
  if (since < 0) return undefined;
  const phase = since % w.everyMs;
  return phase < w.lastsMs ? t - phase : undefined;
}

/** Incident windows (start, end) overlapping [from, to]. */
export function incidentsBetween(
  from: number,
  to: number,
  startedAt: number,
  w: AlarmWindow = LATENCY_INCIDENT,
): [number, number][] {
  const out: [number, number][] = [];
  const first = startedAt + w.firstAfterMs;
  const k0 = Math.max(0, Math.floor((from - first) / w.everyMs));
  for (let start = first + k0 * w.everyMs; start <= to; start += w.everyMs) {
    if (start + w.lastsMs >= from) out.push([start, start + w.lastsMs]);
  }
  return out;
}

/**
 * The share of requests failing with 5xx during an incident minute: 5.5–8 %, always past Expo's "5xx error
 * rate > 5%" critical line. CloudWatch's 5xx counts and Beanstalk's enhanced health both use it, so
 * /ops metrics and /ops status quote the same rate for the same minute.
 */
export function incidentErrorShare(t: number): number {
  return 0.055 + 0.025 * noise(`5xx-share/${Math.floor(t / 60_000)}`);
}

/** A healthy minute's 5xx share: none in most minutes, at most 0.05 % in the rest. */
const baselineErrorShare = (jitter: number) => (jitter < 0.8 ? 0 : 0.0005 * (jitter - 0.8) * 5);

export interface MetricKey {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** Minute-resolution value of a metric (per-second rates for counts, summed by the caller). */
export function metricValue(
  m: MetricKey,
  t: number,
  stat: string,
  startedAt: number,
  extra: { instances: number; storageUsedGb: number; allocatedGb?: number },
  /** The simulator's clock: the minute in progress shows only what has happened so far. */
  now: number = Number.POSITIVE_INFINITY,
): number {
  const minute = Math.floor(t / 60_000) * 60_000;
  const load = dailyLoad(minute);
  const jitter = noise(`${m.namespace}/${m.name}/${JSON.stringify(m.dimensions)}/${minute}`);
  // A minute's datapoint shows the incident if any part of the minute (so far) was in it, as /ops status does.
  const spike =
    incidentAt(minute, startedAt) !== undefined || incidentAt(Math.min(minute + 59_999, now), startedAt) !== undefined;
  const statFactor = /^p99/i.test(stat)
    ? 1.6
    : /^p9/i.test(stat)
      ? 1.3
      : stat === 'Maximum'
        ? 1.25
        : stat === 'Minimum'
          ? 0.8
          : 1;
  const perInstance = 2 / Math.max(1, extra.instances);
  if (m.namespace === 'AWS/CloudFront') return cloudfrontMetric(m.name, load, jitter, spike);
  switch (m.name) {
    case 'CPUUtilization':
      return clamp(
        (m.namespace === 'AWS/RDS' ? 18 + 35 * load : (15 + 45 * load) * perInstance) *
          (0.9 + 0.2 * jitter) *
          statFactor *
          (spike ? 1.35 : 1),
        1,
        100,
      );
    case 'MemoryUtilization':
      return clamp((48 + 18 * load + 6 * jitter) * Math.min(statFactor, 1.1), 1, 100);
    case 'ApplicationLatencyP50':
    case 'ApplicationLatencyP90':
    case 'ApplicationLatencyP95':
    case 'ApplicationLatencyP99':
    case 'ApplicationLatencyP99.9': {
      const pct = Number(m.name.replace('ApplicationLatencyP', ''));
      return (
        (0.06 + 0.07 * load + 0.03 * jitter) *
        (pct >= 99 ? 2.2 : pct >= 95 ? 1.5 : pct >= 90 ? 1.2 : 0.6) *
        (spike ? 6.5 : 1)
      );
    }
    case 'ApplicationRequestsTotal':
    case 'ApplicationRequests2xx':
      return (40 + 260 * load) * (0.9 + 0.2 * jitter) * 60 * (m.name.endsWith('2xx') ? 0.97 : 1);
    case 'ApplicationRequests5xx':
      return spike
        ? metricValue({ ...m, name: 'ApplicationRequestsTotal' }, t, stat, startedAt, extra, now) *
            incidentErrorShare(minute)
        : // Outside incidents a rare failed request: under 0.05 %, below SoleMate's 0.1 % line.
          metricValue({ ...m, name: 'ApplicationRequestsTotal' }, t, stat, startedAt, extra, now) *
            baselineErrorShare(jitter);
    case 'ApplicationRequests4xx':
      return (40 + 260 * load) * 60 * (0.002 + 0.004 * jitter);
    case 'EngineCPUUtilization':
      return 4 + 12 * load + 3 * jitter;
    case 'TargetResponseTime':
    case 'Latency':
      // ×12 in an incident: always past the high-latency alarm's 1 s, at any load (its reason quotes these values).
      return (0.09 + 0.08 * load + 0.03 * jitter) * statFactor * (spike ? 12 : 1);
    case 'RequestCount':
      return (40 + 260 * load) * (0.9 + 0.2 * jitter) * 60;
    case 'HTTPCode_Target_5XX_Count':
      return spike
        ? metricValue({ ...m, name: 'RequestCount' }, t, stat, startedAt, extra, now) * incidentErrorShare(minute)
        : metricValue({ ...m, name: 'RequestCount' }, t, stat, startedAt, extra, now) * baselineErrorShare(jitter);
    case 'HTTPCode_ELB_5XX_Count':
      return spike ? 4 * jitter : 0;
    case 'HTTPCode_Target_4XX_Count':
      return (3 + 20 * load) * jitter;
    case 'DatabaseConnections':
      return Math.round((35 + 70 * load + 10 * jitter) * (spike ? 1.5 : 1));
    case 'FreeStorageSpace':
      return ((extra.allocatedGb ?? 100) - extra.storageUsedGb - (t - startedAt) / 3_600_000 / 40) * 1024 ** 3;
    case 'FreeableMemory':
      return (1.6 - 0.5 * load) * 1024 ** 3;
    case 'ReadLatency':
    case 'WriteLatency':
      return (0.0012 + 0.002 * load + 0.001 * jitter) * (spike ? 3 : 1);
    case 'ReadIOPS':
    case 'WriteIOPS':
      return 80 + 400 * load * (0.8 + 0.4 * jitter);
    case 'CacheHits':
      return (900 + 4000 * load) * 60;
    case 'CacheMisses':
      return (30 + 120 * load + 40 * jitter) * 60;
    case 'DatabaseMemoryUsagePercentage':
      return 41 + 5 * load;
    case 'EnvironmentHealth':
      return spike ? 15 : 0;
    default:
      return 10 + 40 * load + 10 * jitter;
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Counts are summed over the period; everything else is averaged. */
export function aggregate(m: MetricKey, values: number[], stat: string): number {
  if (values.length === 0) return 0;
  const counts = /Count$|^CacheHits$|^CacheMisses$|^ApplicationRequests|^Requests$|^Bytes/.test(m.name);
  if (stat === 'Sum' || (counts && stat !== 'Average' && stat !== 'Maximum' && stat !== 'Minimum'))
    return values.reduce((a, b) => a + b, 0);
  if (stat === 'SampleCount') return values.length;
  if (stat === 'Maximum') return Math.max(...values);
  if (stat === 'Minimum') return Math.min(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const ROUTES = [
  'GET /api/experts',
  'GET /api/experts/:id',
  'POST /api/bookings',
  'GET /api/bookings',
  'POST /api/auth/login',
  'GET /health',
  'POST /api/payments/intent',
];

/** One log line per slot (a few seconds); errors cluster in incident windows. */
export function logLine(
  group: string,
  slot: number,
  slotMs: number,
  startedAt: number,
  version: string,
): { timestamp: number; message: string; stream: string } | undefined {
  const t = slot * slotMs;
  const r = noise(`${group}/${slot}`);
  const spike = incidentAt(t, startedAt) !== undefined;
  const stream = `web/${group.includes('ecs') ? 'backend' : 'i-0a1b2c3d4e5f'}/${Math.floor(t / 3_600_000)}`;
  const route = ROUTES[Math.floor(noise(`${group}/${slot}/route`) * ROUTES.length)];
  const ms = Math.round(20 + 180 * r * (spike ? 8 : 1));
  const ts = new Date(t).toISOString();
  let message: string;
  if (spike && r < 0.35)
    message = `${ts} ERROR [${version}] upstream timeout after 5000ms calling payments-api (${route})`;
  else if (spike && r < 0.5) message = `${ts} ERROR [${version}] ${route} 502 - connect ECONNRESET 10.0.3.17:5432`;
  else if (r < 0.02)
    message = `${ts} ERROR [${version}] Unhandled rejection: TypeError: Cannot read properties of undefined (reading 'expertId')`;
  else if (route === 'POST /api/auth/login' && r < 0.14)
    message = `${ts} WARN  [${version}] SECURITY AUTH_FAILED ${route} 401 ${ms}ms client_ip=203.0.113.${Math.floor(r * 1000) % 250} user_id=u_${Math.floor(r * 100_000)}`;
  else if (r < 0.08)
    message = `${ts} WARN  [${version}] slow query ${800 + Math.round(r * 4000)}ms: SELECT * FROM bookings WHERE expert_id = $1 ORDER BY starts_at`;
  else message = `${ts} INFO  [${version}] ${route} ${r < 0.12 ? 404 : 200} ${ms}ms`;
  return { timestamp: t, message, stream };
}

/**
 * CloudWatch Logs filter patterns, the common subset: terms that must all
 * appear, "quoted phrases", ?alternatives, -exclusions. Case-sensitive, as AWS.
 */
export function matchesFilter(message: string, pattern: string | undefined): boolean {
  if (!pattern || !pattern.trim()) return true;
  const p = pattern.trim();
  if (p.startsWith('{')) return true; // JSON patterns: the demo's lines are not JSON
  const terms = [...p.matchAll(/(-|\?)?("([^"]*)"|\S+)/g)].map((m) => ({ op: m[1] ?? '', term: m[3] ?? m[2] }));
  const optional = terms.filter((t) => t.op === '?');
  if (optional.length > 0) return optional.some((t) => message.includes(t.term));
  return terms.every((t) => (t.op === '-' ? !message.includes(t.term) : message.includes(t.term)));
}
