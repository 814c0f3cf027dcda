import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, failedPartLine, footer, plural, worstTone } from './aws-common.js';
import { sparkline } from './progress.js';
import type { Reply } from './reply.js';
import {
  alarmReason,
  formatValue,
  inferPeriod,
  judgeMetric as judgeSeries,
  type FiringAlarm,
  type JudgedLimit,
  type JudgedSeries,
  type MetricJudgement,
} from './metric-judge.js';

export { formatValue } from './metric-judge.js';
export type MetricLimitView = JudgedLimit;

export interface MetricRowView extends JudgedSeries {
  group: string;
  missingHint?: string;
}

export interface MetricsView {
  env: string;
  region?: string;
  checkedAt: Date;
  tookMs: number;
  windowMs: number;
  /** The datapoints' period (GetMetricData's Period); inferred from the points when absent. */
  periodMs?: number;
  rows: MetricRowView[];
  /** Alarms in ALARM on this environment's resources that no row shows. */
  otherAlarms?: FiringAlarm[];
  failed: { what: string; error: string }[];
  notes: string[];
  timeZone?: string;
}

const SPARK_WIDTH = 20;

/** The one judgement of a row, over the whole window, that the verdict, the row's line and the chart all show. */
export function judgeMetric(
  row: MetricRowView,
  opts: { now: Date; periodMs?: number; timeZone?: string } = { now: row.points.at(-1)?.at ?? new Date() },
): MetricJudgement {
  return judgeSeries(row, opts);
}

/**
 * One character per period (at most `width`, each then covering several periods), anchored on
 * the newest point, so a space means a missing datapoint and nothing else.
 */
export function windowSparkline(
  row: MetricRowView,
  end: Date,
  windowMs: number,
  width = SPARK_WIDTH,
  periodMs?: number,
): string {
  if (row.points.length === 0) return '';
  const period = periodMs ?? (row.points.length >= 3 ? inferPeriod(row.points) : windowMs / width);
  const bucketMs = Math.max(period, windowMs / width);
  const newest = row.points.at(-1)!.at.getTime();
  // The newest slot is the newest point's, unless data stopped coming: then the end's, and the silence shows.
  // A point is stamped with the start of its period, so the newest complete one may start up to two periods
  // before the end (the period in progress is not published yet): that is not missing data.
  const anchor = end.getTime() - newest < bucketMs * 2 ? newest : end.getTime() - bucketMs;
  // Only slots that start inside the window: a window starting mid-minute has no point for that minute, and
  // drawing it would be a gap where nothing is missing.
  const slotsInWindow = Math.floor((anchor - (end.getTime() - windowMs)) / bucketMs) + 1;
  const n = Math.max(1, Math.min(width, Math.round(windowMs / bucketMs), slotsInWindow));
  const buckets: (number | null)[] = Array.from({ length: n }, () => null);
  const worse = row.limit?.kind === 'min' ? Math.min : Math.max;
  for (const p of row.points) {
    const i = n - 1 - Math.round((anchor - p.at.getTime()) / bucketMs);
    if (i < 0 || i >= n) continue;
    buckets[i] = buckets[i] === null ? p.value : worse(buckets[i]!, p.value);
  }
  return sparkline(buckets);
}

/** "< 70.0 %" as mrkdwn (Slack reads a bare "<" as the start of a link). */
function limitText(row: MetricRowView): string {
  if (!row.limit) return '';
  return `${row.limit.kind === 'max' ? '&lt;' : '&gt;'} ${formatValue(row.limit.warn, row.unit)}`;
}

function rowLine(row: MetricRowView, j: MetricJudgement, view: MetricsView): string {
  if (j.latest === undefined) {
    const why = j.kind === 'alarm' ? ` — ${j.reason}` : '';
    return `${TONE_ICON[j.tone]} *${escapeMrkdwn(row.label)}*: no data in the window${row.missingHint ? ` (${escapeMrkdwn(row.missingHint)})` : ''}${why}`;
  }
  const peakWord = row.limit?.kind === 'min' ? 'min' : 'max';
  const spark = windowSparkline(row, view.checkedAt, view.windowMs, SPARK_WIDTH, view.periodMs);
  const limit = limitText(row);
  const why = j.reason ? ` — ${j.reason}` : '';
  return `${TONE_ICON[j.tone]} *${escapeMrkdwn(row.label)}* ${formatValue(j.latest, row.unit)} (${peakWord} ${formatValue(j.peak!, row.unit)}) \`${spark}\`${limit ? ` ${limit}` : ''}${why}`;
}

function windowText(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 24 && h % 24 === 0
    ? `${h / 24}d`
    : h >= 1 && Number.isInteger(h)
      ? `${h}h`
      : `${Math.round(ms / 60_000)}m`;
}

const fullName = (row: MetricRowView) => `${row.group === 'App' ? '' : `${row.group} `}${row.label}`;

/** Every row's judgement, from the one function; the verdict, the rows and the chart all read these. */
export function judgeRows(view: MetricsView): { row: MetricRowView; j: MetricJudgement }[] {
  return view.rows.map((row) => ({
    row,
    j: judgeMetric(row, { now: view.checkedAt, periodMs: view.periodMs, timeZone: view.timeZone }),
  }));
}

/** `/ops metrics`: each key metric judged on the whole window, with a colour, the reason and a sparkline. */
export function renderMetrics(view: MetricsView): Reply {
  const judged = judgeRows(view);
  const bad = judged
    .filter(({ j }) => j.tone === 'warning' || j.tone === 'danger')
    .sort((a, b) => (a.j.tone === b.j.tone ? 0 : a.j.tone === 'danger' ? -1 : 1));
  const withData = judged.filter(({ j }) => j.latest !== undefined);
  const others = view.otherAlarms ?? [];
  let tone = worstTone(bad.map(({ j }) => j.tone));
  if (tone === 'ok' && (view.failed.length || others.length)) tone = 'warning';
  const window = windowText(view.windowMs);
  let verdict: string;
  if (bad.length || others.length) {
    const red = bad.filter(({ j }) => j.tone === 'danger').length;
    const yellow = bad.length - red;
    const counts = [
      red ? `${plural(red, 'metric')} red` : '',
      yellow ? `${red ? yellow : plural(yellow, 'metric')} yellow` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const why = bad.map(({ row, j }) => `${escapeMrkdwn(fullName(row))} ${j.reason}`);
    if (others.length) why.push(alarmReason(others, view.timeZone));
    verdict = `${TONE_ICON[tone]} *${view.env}: ${counts || 'alarms firing'}* (last ${window}) — ${why.join('; ')}`;
  } else if (withData.length) {
    verdict = `${TONE_ICON[tone]} *${view.env}: ${withData.length === judged.length ? 'all ' : ''}${plural(withData.length, 'metric')} within thresholds* (last ${window})${withData.length < judged.length ? `; ${judged.length - withData.length} without data` : ''}${view.failed.length ? `; ${plural(view.failed.length, 'part')} could not be read` : ''}`;
  } else {
    tone = view.failed.length ? 'warning' : 'muted';
    verdict = `${TONE_ICON[tone]} *${view.env}: no metric data for the last ${window}*`;
  }
  const blocks: KnownBlock[] = [section(verdict)];
  for (const group of [...new Set(view.rows.map((r) => r.group))]) {
    const lines = judged.filter(({ row }) => row.group === group).map(({ row, j }) => rowLine(row, j, view));
    blocks.push(section(`*${group}*\n${lines.join('\n')}`));
  }
  for (const f of view.failed) blocks.push(section(failedPartLine(f.what, f.error)));
  blocks.push(
    context(
      `last ${window} · judged on the whole window: red when past the critical line for the guide's duration · latest, worst in window, sparkline · ${footer(view.env, view.region, view.checkedAt, view.tookMs)}`,
      ...view.notes.map(escapeMrkdwn),
    ),
  );
  const text =
    bad.length || others.length
      ? `${view.env}: ${[...bad.map(({ row, j }) => `${fullName(row)} ${j.reason}`), ...(others.length ? [alarmReason(others)] : [])].join('; ')}`
      : `${view.env}: metrics within thresholds`;
  return { text, tone, blocks };
}
