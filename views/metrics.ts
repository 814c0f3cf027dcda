import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, failedPartLine, footer, plural, worstTone } from './aws-common.js';
import { sparkline } from './progress.js';
import type { Reply, Tone } from './reply.js';

export interface MetricLimitView {
  kind: 'max' | 'min';
  warn: number;
  critical: number;
  worstTone?: 'warning';
}

export interface MetricRowView {
  group: string;
  label: string;
  unit: '%' | 'ms' | 'GB' | 'count';
  limit?: MetricLimitView;
  /** Oldest first. */
  points: { at: Date; value: number }[];
  missingHint?: string;
}

export interface MetricsView {
  env: string;
  region?: string;
  checkedAt: Date;
  tookMs: number;
  windowMs: number;
  rows: MetricRowView[];
  failed: { what: string; error: string }[];
  notes: string[];
}

const SPARK_WIDTH = 20;

export function formatValue(value: number, unit: MetricRowView['unit']): string {
  if (unit === 'ms') return `${Math.round(value)} ms`;
  if (unit === 'count') return `${Math.round(value)}`;
  if (unit === 'GB') return `${value.toFixed(1)} GB`;
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} %`;
}

/** The colour of a metric from its newest datapoint: past `warn` yellow, past `critical` red. */
export function judgeMetric(row: MetricRowView): Tone {
  const last = row.points.at(-1);
  if (!last) return 'muted';
  if (!row.limit) return 'ok';
  const { kind, warn, critical } = row.limit;
  const past = (threshold: number) => (kind === 'max' ? last.value > threshold : last.value < threshold);
  const tone: Tone = past(critical) ? 'danger' : past(warn) ? 'warning' : 'ok';
  return tone === 'danger' && row.limit.worstTone ? row.limit.worstTone : tone;
}

/** Buckets the window so gaps (missing datapoints) show as spaces in the sparkline. */
export function windowSparkline(row: MetricRowView, end: Date, windowMs: number, width = SPARK_WIDTH): string {
  if (row.points.length === 0) return '';
  const start = end.getTime() - windowMs;
  const buckets: (number | null)[] = Array.from({ length: width }, () => null);
  const worse = row.limit?.kind === 'min' ? Math.min : Math.max;
  for (const p of row.points) {
    const i = Math.min(width - 1, Math.max(0, Math.floor(((p.at.getTime() - start) / windowMs) * width)));
    buckets[i] = buckets[i] === null ? p.value : worse(buckets[i]!, p.value);
  }
  return sparkline(buckets);
}

/** "< 70.0 %" as mrkdwn (Slack reads a bare "<" as the start of a link). */
function limitText(row: MetricRowView): string {
  if (!row.limit) return '';
  return `${row.limit.kind === 'max' ? '&lt;' : '&gt;'} ${formatValue(row.limit.warn, row.unit)}`;
}

function rowLine(row: MetricRowView, view: MetricsView): string {
  const tone = judgeMetric(row);
  const last = row.points.at(-1);
  if (!last)
    return `${TONE_ICON.muted} *${escapeMrkdwn(row.label)}*: no data in the window${row.missingHint ? ` (${escapeMrkdwn(row.missingHint)})` : ''}`;
  const values = row.points.map((p) => p.value);
  const peak = row.limit?.kind === 'min' ? Math.min(...values) : Math.max(...values);
  const peakWord = row.limit?.kind === 'min' ? 'min' : 'max';
  const spark = windowSparkline(row, view.checkedAt, view.windowMs);
  const limit = limitText(row);
  return `${TONE_ICON[tone]} *${escapeMrkdwn(row.label)}* ${formatValue(last.value, row.unit)} (${peakWord} ${formatValue(peak, row.unit)}) \`${spark}\`${limit ? ` ${limit}` : ''}`;
}

function windowText(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 24 && h % 24 === 0
    ? `${h / 24}d`
    : h >= 1 && Number.isInteger(h)
      ? `${h}h`
      : `${Math.round(ms / 60_000)}m`;
}

/** `/ops metrics`: each key metric against its threshold, with a colour and a sparkline of the window. */
export function renderMetrics(view: MetricsView): Reply {
  const judged = view.rows.map((row) => ({ row, tone: judgeMetric(row) }));
  const bad = judged.filter((j) => j.tone === 'warning' || j.tone === 'danger');
  const withData = judged.filter((j) => j.tone !== 'muted');
  let tone = worstTone(bad.map((j) => j.tone));
  if (tone === 'ok' && view.failed.length) tone = 'warning';
  const window = windowText(view.windowMs);
  let verdict: string;
  if (bad.length) {
    const why = bad.map(
      ({ row }) =>
        `${escapeMrkdwn(`${row.group === 'App' ? '' : `${row.group} `}${row.label}`)} ${formatValue(row.points.at(-1)!.value, row.unit)} (${limitText(row)})`,
    );
    verdict = `${TONE_ICON[tone]} *${view.env}: ${plural(bad.length, 'metric')} past ${bad.length === 1 ? 'its threshold' : 'their thresholds'}* — ${why.join('; ')}`;
  } else if (withData.length) {
    verdict = `${TONE_ICON[tone]} *${view.env}: ${withData.length === judged.length ? 'all ' : ''}${plural(withData.length, 'metric')} within thresholds* (last ${window})${withData.length < judged.length ? `; ${judged.length - withData.length} without data` : ''}`;
  } else {
    tone = view.failed.length ? 'warning' : 'muted';
    verdict = `${TONE_ICON[tone]} *${view.env}: no metric data for the last ${window}*`;
  }
  const blocks: KnownBlock[] = [section(verdict)];
  for (const group of [...new Set(view.rows.map((r) => r.group))]) {
    const lines = view.rows.filter((r) => r.group === group).map((r) => rowLine(r, view));
    blocks.push(section(`*${group}*\n${lines.join('\n')}`));
  }
  for (const f of view.failed) blocks.push(section(failedPartLine(f.what, f.error)));
  blocks.push(
    context(
      `last ${window} · latest datapoint, worst in window, sparkline · ${footer(view.env, view.region, view.checkedAt, view.tookMs)}`,
      ...view.notes.map(escapeMrkdwn),
    ),
  );
  const text = bad.length
    ? `${view.env}: ${bad.map(({ row }) => row.label).join(', ')} past thresholds`
    : `${view.env}: metrics within thresholds`;
  return { text, tone, blocks };
}
