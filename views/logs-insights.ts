import { section, type KnownBlock } from './blocks.js';
import { cell, envContext, formatBytes } from './db-format.js';
import { dataTable } from './table.js';
import type { Reply } from './reply.js';
import type { InsightsResult } from '../src/aws/logs-insights.js';

export interface InsightsView {
  env: string;
  /** The saved query's name, or undefined for a query typed in full. */
  name?: string;
  query: string;
  groups: string[];
  windowLabel: string;
  result: InsightsResult;
  tookMs: number;
}

const SHOWN_ROWS = 40;

function csv(result: InsightsResult): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [
    result.fields.join(','),
    ...result.rows.map((r) => result.fields.map((f) => quote(r[f] ?? '')).join(',')),
  ].join('\n');
}

/** Logs Insights results as a table (first rows; every row in the attached CSV). */
export function renderInsights(v: InsightsView): Reply {
  const { result } = v;
  const label = v.name ? `\`${v.name}\`` : 'query';
  const headline = `${v.env}: ${label} matched ${result.rows.length}${result.rows.length >= 1000 ? '+' : ''} row${result.rows.length === 1 ? '' : 's'} in the last ${v.windowLabel}`;
  const blocks: KnownBlock[] = [section(`:mag: *${headline}*`)];
  if (result.rows.length) {
    // @message is wide: the other columns first, the message last and cut to fit.
    const fields = [...result.fields.filter((f) => f !== '@message'), ...result.fields.filter((f) => f === '@message')];
    const rows = result.rows
      .slice(0, SHOWN_ROWS)
      .map((r) =>
        fields.map((f) => cell((r[f] ?? '').replace(/\s+/g, ' ').replace(/\.000$/, ''), f === '@message' ? 120 : 40)),
      );
    blocks.push(
      ...dataTable(
        fields.map((f) => ({ header: f, wrap: f === '@message' })),
        rows,
      ),
    );
    if (result.rows.length > SHOWN_ROWS)
      blocks.push(section(`_first ${SHOWN_ROWS} rows; all of them are in the attached CSV_`));
  }
  blocks.push(
    section('```' + v.query.slice(0, 1500) + '```'),
    envContext(
      v.env,
      v.groups.join(', '),
      result.recordsScanned !== undefined
        ? `${Math.round(result.recordsScanned).toLocaleString('en-US')} records scanned`
        : undefined,
      result.bytesScanned !== undefined ? formatBytes(result.bytesScanned) : undefined,
      `${(v.tookMs / 1000).toFixed(1)}s`,
    ),
  );
  return {
    text: headline,
    tone: 'info',
    blocks,
    files: result.rows.length
      ? [{ filename: `insights-${v.env}-${v.name ?? 'query'}.csv`, title: headline, content: csv(result) }]
      : undefined,
  };
}
