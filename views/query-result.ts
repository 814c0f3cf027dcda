import type { QueryTable } from '../src/probes/pg-diagnostics/saved-query.js';
import { escapeMrkdwn, section } from './blocks.js';
import { cell, envContext, formatQueryMs, inlineQuery } from './db-format.js';
import { dataTable } from './table.js';
import type { Reply } from './reply.js';

export interface SavedQueryView {
  name: string;
  env: string;
  sql: string;
  description?: string;
  result: QueryTable;
}

function isNumeric(values: (string | null)[]): boolean {
  const present = values.filter((v): v is string => v !== null);
  return present.length > 0 && present.every((v) => /^-?\d+(\.\d+)?$/.test(v));
}

/** `/ops query <name>`: the rows as an aligned table; a single value (a count) as a headline. */
export function renderSavedQuery(view: SavedQueryView): Reply {
  const { result } = view;
  const title = `*${escapeMrkdwn(view.name)}* on ${view.env}${view.description ? ` — ${escapeMrkdwn(view.description)}` : ''}`;
  const footer = envContext(
    view.env,
    `${result.rows.length}${result.truncated ? '+' : ''} row${result.rows.length === 1 ? '' : 's'} in ${formatQueryMs(result.tookMs)}`,
    'read-only, under the statement timeout',
    result.truncated ? `first ${result.rows.length} rows shown` : undefined,
  );
  if (result.rows.length === 1 && result.columns.length <= 4) {
    const fields = result.columns.map((c, i) => `${escapeMrkdwn(c)}: *${escapeMrkdwn(result.rows[0][i] ?? 'null')}*`);
    return {
      text: `${view.name} on ${view.env}: ${result.columns.map((c, i) => `${c} ${result.rows[0][i] ?? 'null'}`).join(', ')}`,
      tone: 'info',
      blocks: [section(`:bar_chart: ${title}\n${fields.join(' · ')}`), section(inlineQuery(view.sql, 300)), footer],
    };
  }
  const columns = result.columns.map((c, i) => ({
    header: cell(c, 40),
    align: isNumeric(result.rows.map((r) => r[i])) ? ('right' as const) : ('left' as const),
  }));
  const rows = result.rows.map((r) => r.map((v) => cell(v ?? '—', 40)));
  return {
    text: `${view.name} on ${view.env}: ${result.rows.length}${result.truncated ? '+' : ''} rows`,
    tone: 'info',
    blocks: [
      section(`:bar_chart: ${title}`),
      ...(result.rows.length ? dataTable(columns, rows) : [section('_no rows_')]),
      footer,
    ],
  };
}
