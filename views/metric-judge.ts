import type { Tone } from './reply.js';

/** A limit from the guides: past `warn` is yellow, past `critical` for `forMs` red; `min` limits must stay above. */
export interface JudgedLimit {
  kind: 'max' | 'min';
  warn: number;
  critical: number;
  /** How long the critical line must be crossed before it is red (the guides' "for 10 minutes"); 0: at once. */
  forMs?: number;
  /** 4xx are mostly the clients' own mistakes: never more than yellow. */
  worstTone?: 'warning';
}

export interface FiringAlarm {
  name: string;
  since?: Date;
}

export interface JudgedSeries {
  label: string;
  unit: '%' | 'ms' | 'GB' | 'count';
  limit?: JudgedLimit;
  /** Oldest first. */
  points: { at: Date; value: number }[];
  /** CloudWatch alarms in ALARM on the same metric and resource. */
  alarms?: FiringAlarm[];
}

/**
 * How a metric did over the whole window, and why. Both the verdict line and the
 * metric's own line are rendered from this, so they cannot disagree.
 */
export interface MetricJudgement {
  tone: Tone;
  /** What decided the tone. */
  kind: 'no-data' | 'ok' | 'sustained' | 'brief' | 'over-warn' | 'crossed-warn' | 'trending' | 'alarm';
  latest?: number;
  /** The worst value in the window (highest for `max` limits, lowest for `min`). */
  peak?: number;
  /** Plain words for the verdict, such as "over 1000 ms for 11 min (since 08:50)"; empty when ok. */
  reason: string;
}

export interface JudgeOptions {
  now: Date;
  /** The datapoints' period: consecutive points further apart than 1.5 periods are not one run. */
  periodMs?: number;
  /** How far ahead a trend is followed to the warning line. */
  horizonMs?: number;
  timeZone?: string;
}

const MINUTE = 60_000;

export function formatValue(value: number, unit: JudgedSeries['unit']): string {
  if (unit === 'ms') return `${Math.round(value)} ms`;
  if (unit === 'count') return `${Math.round(value)}`;
  if (unit === 'GB') return `${value.toFixed(1)} GB`;
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} %`;
}

export function clockTime(at: Date, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    at,
  );
}

function minutes(ms: number): string {
  const m = Math.max(1, Math.round(ms / MINUTE));
  return m >= 120 && m % 60 === 0 ? `${m / 60} h` : `${m} min`;
}

/** The median spacing of the points: CloudWatch's period when the caller does not say. */
export function inferPeriod(points: { at: Date }[]): number {
  const gaps = points
    .slice(1)
    .map((p, i) => p.at.getTime() - points[i].at.getTime())
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)] : MINUTE;
}

interface Run {
  start: Date;
  end: Date;
  ms: number;
  peak: number;
}

/** Runs of consecutive points past `line`, each lasting from its first point to one period after its last. */
function runsPast(series: JudgedSeries, line: number, periodMs: number): Run[] {
  const { kind } = series.limit!;
  const past = (v: number) => (kind === 'max' ? v > line : v < line);
  const worse = kind === 'max' ? Math.max : Math.min;
  const runs: Run[] = [];
  let cur: Run | undefined;
  let prev: Date | undefined;
  for (const p of series.points) {
    const joined = cur && prev && p.at.getTime() - prev.getTime() <= periodMs * 1.5;
    if (past(p.value)) {
      if (cur && joined) {
        cur.end = p.at;
        cur.peak = worse(cur.peak, p.value);
      } else runs.push((cur = { start: p.at, end: p.at, ms: 0, peak: p.value }));
      cur.ms = cur.end.getTime() - cur.start.getTime() + periodMs;
    } else cur = undefined;
    prev = p.at;
  }
  return runs;
}

/** Least-squares slope in value per millisecond; undefined with fewer than 4 points. */
function slope(points: { at: Date; value: number }[]): number | undefined {
  if (points.length < 4) return undefined;
  const t0 = points[0].at.getTime();
  const xs = points.map((p) => p.at.getTime() - t0);
  const ys = points.map((p) => p.value);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return den > 0 ? num / den : undefined;
}

/**
 * Judges a metric on its whole window: red when past the critical line for at least the
 * guide's duration; yellow when it crossed a line (briefly, or is past the warning line),
 * or is trending to the warning line within the horizon; a firing alarm is never green.
 */
export function judgeMetric(series: JudgedSeries, opts: JudgeOptions): MetricJudgement {
  const j = judgeData(series, opts);
  const alarms = series.alarms ?? [];
  if (alarms.length && (j.tone === 'ok' || j.tone === 'muted')) {
    return { ...j, tone: 'warning', kind: 'alarm', reason: alarmReason(alarms, opts.timeZone) };
  }
  if (alarms.length) return { ...j, reason: `${j.reason}; ${alarmReason(alarms, opts.timeZone)}` };
  return j;
}

export function alarmReason(alarms: FiringAlarm[], timeZone?: string): string {
  return alarms
    .map((a) => `alarm \`${a.name}\` in ALARM${a.since ? ` since ${clockTime(a.since, timeZone)}` : ''}`)
    .join(', ');
}

function judgeData(series: JudgedSeries, opts: JudgeOptions): MetricJudgement {
  const { points, limit, unit } = series;
  const last = points.at(-1);
  if (!last) return { tone: 'muted', kind: 'no-data', reason: 'no data in the window' };
  const values = points.map((p) => p.value);
  const peak = limit?.kind === 'min' ? Math.min(...values) : Math.max(...values);
  const base = { latest: last.value, peak };
  if (!limit) return { ...base, tone: 'ok', kind: 'ok', reason: '' };
  const periodMs = opts.periodMs ?? inferPeriod(points);
  const at = (d: Date) => clockTime(d, opts.timeZone);
  const word = limit.kind === 'max' ? 'over' : 'under';
  const fmt = (v: number) => formatValue(v, unit);
  const cap = (tone: Tone): Tone => (tone === 'danger' && limit.worstTone ? limit.worstTone : tone);
  const ongoing = (r: Run) => r.end.getTime() === last.at.getTime();

  const critical = runsPast(series, limit.critical, periodMs);
  const sustained = critical.filter((r) => r.ms >= (limit.forMs ?? 0)).sort((a, b) => b.ms - a.ms)[0];
  if (sustained) {
    const when = ongoing(sustained) ? `since ${at(sustained.start)}` : `${at(sustained.start)}–${at(sustained.end)}`;
    return {
      ...base,
      tone: cap('danger'),
      kind: 'sustained',
      reason: `${word} ${fmt(limit.critical)} for ${minutes(sustained.ms)} (${when})`,
    };
  }
  if (critical.length) {
    const worst = critical.reduce((a, b) => ((limit.kind === 'max' ? b.peak > a.peak : b.peak < a.peak) ? b : a));
    const first = critical[0];
    return {
      ...base,
      tone: 'warning',
      kind: 'brief',
      reason: `crossed ${fmt(limit.critical)} briefly at ${at(critical.length === 1 ? first.start : worst.start)} (${limit.kind === 'max' ? 'max' : 'min'} ${fmt(peak)})`,
    };
  }
  const warnRuns = runsPast(series, limit.warn, periodMs);
  const now = warnRuns.find(ongoing);
  if (now)
    return { ...base, tone: 'warning', kind: 'over-warn', reason: `${word} ${fmt(limit.warn)} since ${at(now.start)}` };
  if (warnRuns.length)
    return {
      ...base,
      tone: 'warning',
      kind: 'crossed-warn',
      reason: `crossed ${fmt(limit.warn)} at ${at(warnRuns[0].start)} (${limit.kind === 'max' ? 'max' : 'min'} ${fmt(peak)})`,
    };
  // Trending: the recent half of the window, followed ahead to the warning line.
  const recent = points.filter(
    (p) => p.at.getTime() >= last.at.getTime() - (opts.now.getTime() - points[0].at.getTime()) / 2,
  );
  const k = slope(recent.length >= 4 ? recent : points);
  const horizon = opts.horizonMs ?? 30 * MINUTE;
  if (k !== undefined && (limit.kind === 'max' ? k > 0 : k < 0)) {
    const eta = (limit.warn - last.value) / k;
    if (eta >= 0 && eta <= horizon)
      return {
        ...base,
        tone: 'warning',
        kind: 'trending',
        reason: `${limit.kind === 'max' ? 'rising' : 'falling'} towards ${fmt(limit.warn)} (there in about ${minutes(eta)} at this rate)`,
      };
  }
  return { ...base, tone: 'ok', kind: 'ok', reason: '' };
}
