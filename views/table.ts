import type { KnownBlock, RichTextBlock, TableBlock } from '@slack/types';
import { BLOCK_KIT_LIMITS } from './block-kit-limits.js';
import { context, escapeMrkdwn, section } from './blocks.js';

/**
 * Slack's `table` block (https://docs.slack.dev/reference/block-kit/blocks/table-block), with the text
 * fallback every table needs:
 *
 * - rows of cells, the first row the column headers (bold); at most 100 rows and 20 cells a row, so a
 *   longer list keeps its first 99 data rows and says "… N more rows" under the table;
 * - cells are `rich_text` (`raw_text` cells were reported to fail on Slack's side when the block was
 *   new; rich text works everywhere and lets the header row be bold); an empty cell is "—", since Slack
 *   rejects empty text;
 * - one table per message, and it is sent in the message's `attachments` (src/slack/render.ts moves it
 *   there; `oneTablePerMessage` turns any further table into aligned text);
 * - more columns than Slack allows, and every surface without tables (the terminal, a modal), get the
 *   same data as aligned columns in a code block (`tableAsText`).
 */

export type ColumnAlign = 'left' | 'center' | 'right';

export interface TableColumn {
  header: string;
  align?: ColumnAlign;
  /** Wrap long values instead of cutting them off with an ellipsis in Slack's client. */
  wrap?: boolean;
}

/** A cell's parts, for cells that need more than text: a person, a link, an emoji. */
export type CellPart = { text: string } | { user: string } | { link: string; text: string } | { emoji: string };
/** A cell: plain text, or parts run together. */
export type TableCell = string | CellPart[];

/** Slack documents no cell length limit; a cell longer than this is cut, so one value cannot swamp the table. */
export const TABLE_CELL_MAX = 500;

const MAX_ROWS = BLOCK_KIT_LIMITS.tableRows.max;
const MAX_COLUMNS = BLOCK_KIT_LIMITS.tableCells.max;

function cellText(text: string): string {
  const t = text.trim() === '' ? '—' : text;
  return t.length > TABLE_CELL_MAX ? `${t.slice(0, TABLE_CELL_MAX - 1)}…` : t;
}

type RichElement = RichTextBlock['elements'][number] extends infer S
  ? S extends { type: 'rich_text_section'; elements: (infer E)[] }
    ? E
    : never
  : never;

function richPart(p: CellPart): RichElement {
  if ('user' in p) return { type: 'user', user_id: p.user };
  if ('emoji' in p) return { type: 'emoji', name: p.emoji };
  if ('link' in p) return { type: 'link', url: p.link, text: cellText(p.text) };
  return { type: 'text', text: cellText(p.text) };
}

function richCell(value: TableCell, bold = false): RichTextBlock {
  const parts: CellPart[] = typeof value === 'string' || value.length === 0 ? [{ text: String(value) }] : value;
  const elements = parts.map(richPart);
  if (bold) for (const e of elements) if (e.type === 'text') e.style = { bold: true };
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements }] };
}

/** A cell as text, for the aligned-text fallback. */
export function cellAsText(value: TableCell): string {
  if (typeof value === 'string') return value;
  return value
    .map((p) => ('user' in p ? `@${p.user}` : 'emoji' in p ? `:${p.emoji}:` : p.text))
    .join('')
    .trim();
}

/**
 * A table of `rows` under `columns`: one `table` block (plus a "… N more rows" line when it had to be cut),
 * or aligned text when there are more columns than Slack allows. `more` words the cut-off line.
 */
export function dataTable(
  columns: TableColumn[],
  rows: TableCell[][],
  more: (hidden: number) => string = (n) => `… ${n} more row${n === 1 ? '' : 's'}`,
): KnownBlock[] {
  if (columns.length > MAX_COLUMNS || columns.length === 0)
    return alignedSections(
      columns.map((c) => c.header),
      rows.map((r) => r.map(cellAsText)),
      columns.map((c) => c.align ?? 'left'),
    );
  const shown = rows.slice(0, MAX_ROWS - 1);
  const block: TableBlock = {
    type: 'table',
    column_settings: columns.map((c) => ({ align: c.align ?? 'left', is_wrapped: c.wrap ?? false })),
    rows: [
      columns.map((c) => richCell(c.header, true)),
      ...shown.map((r) => columns.map((_, i) => richCell(r[i] ?? ''))),
    ],
  };
  const blocks: KnownBlock[] = [block];
  if (rows.length > shown.length) blocks.push(context(more(rows.length - shown.length)));
  return blocks;
}

/** The text of one cell, whichever kind it is. */
function plainCell(cell: unknown): string {
  type Part = { type?: string; text?: string; user_id?: string; name?: string; url?: string };
  const c = cell as { type?: string; text?: string; elements?: { elements?: Part[] }[] };
  if (c.type === 'raw_text') return c.text ?? '';
  const part = (e: Part) =>
    e.type === 'user' ? `@${e.user_id}` : e.type === 'emoji' ? `:${e.name}:` : (e.text ?? e.url ?? '');
  return (c.elements ?? []).map((s) => (s.elements ?? []).map(part).join('')).join(' ');
}

function alignedLines(headers: string[], rows: string[][], align: ColumnAlign[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    headers
      .map((_, i) => {
        const c = cells[i] ?? '';
        return align[i] === 'right' ? c.padStart(widths[i]) : c.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** A table block as aligned lines of text: the terminal's rendering and every fallback. */
export function tableAsText(block: TableBlock): string[] {
  const [head = [], ...body] = block.rows.map((r) => r.map(plainCell));
  const align = (block.column_settings ?? []).map((s) => s?.align ?? 'left');
  return alignedLines(head, body, align);
}

/** Aligned columns in code blocks, split into as many sections as Slack's 3,000-character limit needs. */
export function alignedSections(headers: string[], rows: string[][], align: ColumnAlign[] = []): KnownBlock[] {
  const lines = alignedLines(headers, rows, align).map((l) => escapeMrkdwn(l.replace(/`/g, 'ˋ')));
  const blocks: KnownBlock[] = [];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push(section('```' + chunk.join('\n') + '```'));
    chunk = [];
  };
  for (const l of lines) {
    if (chunk.join('\n').length + l.length + 8 > 2900) flush();
    chunk.push(l.length > 2800 ? `${l.slice(0, 2799)}…` : l);
  }
  flush();
  return blocks;
}

/** Slack allows one table a message: the first stays a table, any later one becomes aligned text. */
export function oneTablePerMessage(blocks: KnownBlock[]): KnownBlock[] {
  let seen = false;
  return blocks.flatMap((b) => {
    if (b.type !== 'table') return [b];
    if (!seen) {
      seen = true;
      return [b];
    }
    const [head = [], ...body] = b.rows.map((r) => r.map(plainCell));
    const align = (b.column_settings ?? []).map((s) => s?.align ?? 'left');
    return alignedSections(head, body, align);
  });
}
