import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, footer } from './aws-common.js';
import { tableSections } from './db-format.js';
import type { Reply, Tone } from './reply.js';
import type { CostData } from '../src/aws/cost.js';

/** opsbot: no guide gives a number; a period 20 % dearer than the one before is worth a look (the Expo "High Bill Alert"). */
export const COST_INCREASE_WARN_PERCENT = 20;
/** Rows in the table; the rest are summed into one. */
const TOP = 10;

export interface CostInput {
  env: string;
  days: number;
  /** "service", "region", "usage-type". */
  by: string;
  /** Both periods, oldest first: the first `days` days are the previous period. */
  data: CostData;
  /** First day of the current period and the day after its last (YYYY-MM-DD). */
  currentStart: string;
  end: string;
  /** "tag env=prod", or undefined for the whole account. */
  filter?: string;
  checkedAt: Date;
  tookMs: number;
  notes: string[];
}

export interface CostLine {
  key: string;
  current: number;
  previous: number;
}

/** The one summary the verdict, the table and the chart are all drawn from. */
export interface CostSummary {
  unit: string;
  current: number;
  previous: number;
  /** Percent change against the previous period; undefined when that cost nothing. */
  changePercent?: number;
  tone: Tone;
  lines: CostLine[];
  daily: { date: string; total: number; estimated: boolean; top: Record<string, number> }[];
  estimatedDays: number;
}

export function summariseCost(input: CostInput): CostSummary {
  const byKey = new Map<string, CostLine>();
  let current = 0;
  let previous = 0;
  const daily: CostSummary['daily'] = [];
  for (const day of input.data.days) {
    const isCurrent = day.date >= input.currentStart;
    let total = 0;
    for (const [key, amount] of Object.entries(day.amounts)) {
      const line = byKey.get(key) ?? { key, current: 0, previous: 0 };
      if (isCurrent) line.current += amount;
      else line.previous += amount;
      byKey.set(key, line);
      total += amount;
    }
    if (isCurrent) {
      current += total;
      daily.push({ date: day.date, total, estimated: day.estimated, top: day.amounts });
    } else previous += total;
  }
  const lines = [...byKey.values()].sort((a, b) => b.current - a.current || b.previous - a.previous);
  const changePercent = previous > 0.005 ? ((current - previous) / previous) * 100 : undefined;
  const tone: Tone =
    daily.length === 0 ? 'muted' : (changePercent ?? 0) > COST_INCREASE_WARN_PERCENT ? 'warning' : 'ok';
  return {
    unit: input.data.unit,
    current,
    previous,
    changePercent,
    tone,
    lines,
    daily,
    estimatedDays: daily.filter((d) => d.estimated).length,
  };
}

export function money(amount: number, unit: string): string {
  const n = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return unit === 'USD' ? `$${n}` : `${n} ${unit}`;
}

function change(current: number, previous: number): string {
  if (previous <= 0.005) return current > 0.005 ? 'new' : '–';
  const p = ((current - previous) / previous) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(0)} %`;
}

/** "7 days", or "day" for one: "in the last day", "the day before". */
const daysText = (n: number) => (n === 1 ? 'day' : `${n} days`);

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** `/ops cost` and the weekly report: total and change against the period before, the top items, per day. */
export function renderCost(input: CostInput, summary = summariseCost(input)): Reply {
  const { unit } = summary;
  const period = `${input.currentStart} – ${dayBefore(input.end)}`;
  const scope = input.filter ? ` (${escapeMrkdwn(input.filter)})` : '';
  let verdict: string;
  if (summary.daily.length === 0)
    verdict = `${TONE_ICON.muted} *${input.env}: no cost data for the last ${daysText(input.days)}*${scope}`;
  else {
    const vs =
      summary.changePercent === undefined
        ? 'nothing the period before'
        : `${summary.changePercent >= 0 ? 'up' : 'down'} ${Math.abs(summary.changePercent).toFixed(0)} % from ${money(summary.previous, unit)} the ${daysText(input.days)} before`;
    const over =
      summary.tone === 'warning' ? ` — more than ${COST_INCREASE_WARN_PERCENT} % up, see what grew below` : '';
    verdict = `${TONE_ICON[summary.tone]} *${input.env}: ${money(summary.current, unit)} in the last ${daysText(input.days)}*${scope}, ${vs}${over}`;
  }
  const blocks: KnownBlock[] = [section(verdict)];
  if (summary.lines.length) {
    const top = summary.lines.slice(0, TOP);
    const rest = summary.lines.slice(TOP);
    const rows = top.map((l) => [
      l.key,
      money(l.current, unit),
      money(l.previous, unit),
      change(l.current, l.previous),
    ]);
    if (rest.length) {
      const cur = rest.reduce((a, l) => a + l.current, 0);
      const prev = rest.reduce((a, l) => a + l.previous, 0);
      rows.push([`${rest.length} more`, money(cur, unit), money(prev, unit), change(cur, prev)]);
    }
    blocks.push(...tableSections([input.by, 'this period', 'before', 'change'], rows, ['l', 'r', 'r', 'r']));
  }
  const notes = [...input.notes];
  if (input.filter && summary.current < 0.005 && summary.previous < 0.005)
    notes.push(
      `Nothing costs anything with ${input.filter}: is the tag activated under Billing → Cost allocation tags? Cost Explorer counts it only from its activation on.`,
    );
  if (summary.estimatedDays)
    notes.push(`${summary.estimatedDays} of the days are still estimated by Cost Explorer (settles within 24 h).`);
  blocks.push(
    context(
      `${period} · ${input.by} · unblended cost, by UTC day · ${footer(input.env, 'us-east-1', input.checkedAt, input.tookMs)}`,
      ...notes.map(escapeMrkdwn),
    ),
  );
  const text =
    summary.daily.length === 0
      ? `${input.env}: no cost data for the last ${daysText(input.days)}`
      : `${input.env}: ${money(summary.current, unit)} in the last ${daysText(input.days)} (${summary.changePercent === undefined ? 'nothing' : `${change(summary.current, summary.previous)} against`} the ${daysText(input.days)} before)`;
  return { text, tone: summary.tone, blocks };
}
