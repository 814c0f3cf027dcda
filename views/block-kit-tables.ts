// The table block's rules (https://docs.slack.dev/reference/block-kit/blocks/table-block), for the
// validator in block-kit-rules.ts:
// - rows: required, 1 to 100 rows, each 1 to 20 cells; a cell is `raw_text` (non-empty `text`) or
//   `rich_text` (non-empty `elements`);
// - column_settings: at most 20, `align` left | center | right, `is_wrapped` a boolean;
// - messages only (a modal or App Home rejects the type), sent in `attachments[].blocks`: a table in the
//   top-level `blocks` is rejected with `invalid_blocks` (the docs say tables are appended to the bottom of
//   the message as an attachment; apps report the top-level form rejected, netclaw-dev/netclaw#55);
// - one table per message, counting every attachment: Slack answers `invalid_attachments` with
//   `only_one_table_allowed`.

/* eslint-disable @typescript-eslint/no-explicit-any -- it walks payloads of any shape, as Slack receives them */

import { BLOCK_KIT_LIMITS as L } from './block-kit-limits.js';

type Fail = (pointer: string, message: string, error?: string) => void;

const ALIGN = new Set(['left', 'center', 'right']);

function isObject(v: unknown): v is Record<string, any> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

function nonEmptyText(v: unknown, at: string, fail: Fail): void {
  if (typeof v !== 'string') fail(at, 'must provide a string');
  else if (v.length < 1) fail(at, 'must be more than 0 characters');
}

function cell(c: unknown, at: string, fail: Fail): void {
  if (!isObject(c)) return fail(at, 'must provide an object');
  if (c.type === undefined) return fail(at, 'missing required field: type');
  if (c.type === 'raw_text') {
    if (c.text === undefined) return fail(at, 'missing required field: text');
    return nonEmptyText(c.text, `${at}/text`, fail);
  }
  if (c.type !== 'rich_text') return fail(`${at}/type`, 'must be a valid enum value');
  if (c.elements === undefined) return fail(at, 'missing required field: elements');
  if (!Array.isArray(c.elements) || c.elements.length === 0)
    return fail(`${at}/elements`, 'must provide at least 1 item');
  c.elements.forEach((section: unknown, s: number) => {
    const sAt = `${at}/elements/${s}`;
    if (!isObject(section) || typeof section.type !== 'string') return fail(sAt, 'missing required field: type');
    if (!Array.isArray(section.elements)) return;
    section.elements.forEach((e: any, i: number) => {
      if (isObject(e) && e.type === 'text') nonEmptyText(e.text, `${sAt}/elements/${i}/text`, fail);
    });
  });
}

/** One table block's own fields. */
export function checkTableBlock(b: Record<string, any>, at: string, fail: Fail): void {
  if (b.rows === undefined || b.rows === null) return fail(at, 'missing required field: rows');
  const rows: unknown = b.rows;
  if (!Array.isArray(rows)) return fail(`${at}/rows`, 'must provide an array');
  if (rows.length < 1) fail(`${at}/rows`, 'must provide at least 1 item');
  if (rows.length > L.tableRows.max) fail(`${at}/rows`, `no more than ${L.tableRows.max} items allowed`);
  rows.forEach((row: unknown, r: number) => {
    const rAt = `${at}/rows/${r}`;
    if (!Array.isArray(row)) return fail(rAt, 'must provide an array');
    if (row.length < 1) fail(rAt, 'must provide at least 1 item');
    if (row.length > L.tableCells.max) fail(rAt, `no more than ${L.tableCells.max} items allowed`);
    row.forEach((c: unknown, i: number) => cell(c, `${rAt}/${i}`, fail));
  });
  if (b.column_settings === undefined) return;
  const settings: unknown = b.column_settings;
  if (!Array.isArray(settings)) return fail(`${at}/column_settings`, 'must provide an array');
  if (settings.length > L.tableColumnSettings.max)
    fail(`${at}/column_settings`, `no more than ${L.tableColumnSettings.max} items allowed`);
  settings.forEach((s: unknown, i: number) => {
    const sAt = `${at}/column_settings/${i}`;
    if (s === null) return; // Slack's docs allow null to keep a column's defaults
    if (!isObject(s)) return fail(sAt, 'must provide an object');
    if (s.align !== undefined && !ALIGN.has(s.align)) fail(`${sAt}/align`, 'must be a valid enum value');
    if (s.is_wrapped !== undefined && typeof s.is_wrapped !== 'boolean') fail(`${sAt}/is_wrapped`, 'must be a boolean');
  });
}

/** Where tables may sit in a message body, and how many. */
export function checkMessageTables(body: Record<string, any>, fail: Fail): void {
  let tables = 0;
  const seen: string[] = [];
  if (Array.isArray(body.blocks))
    body.blocks.forEach((b: any, i: number) => {
      if (b?.type !== 'table') return;
      tables++;
      fail(`/blocks/${i}`, 'table blocks must be sent in attachments');
    });
  if (Array.isArray(body.attachments))
    body.attachments.forEach((a: any, ai: number) => {
      if (!Array.isArray(a?.blocks)) return;
      a.blocks.forEach((b: any, i: number) => {
        if (b?.type !== 'table') return;
        tables++;
        seen.push(`/attachments/${ai}/blocks/${i}`);
      });
    });
  if (tables > L.tablesPerMessage.max)
    fail(seen[seen.length - 1] ?? '/blocks', 'only_one_table_allowed', 'invalid_attachments');
}
