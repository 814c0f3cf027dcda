import type { Queryable } from '../target-postgres.js';
import { checkSingleSelect } from './select-only.js';

export interface QueryTable {
  columns: string[];
  /** Each value as text: null as null, dates in ISO form, objects as JSON. */
  rows: (string | null)[][];
  /** True when the query returned more than `maxRows` rows and only the first were kept. */
  truncated: boolean;
  tookMs: number;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * One saved SELECT, read-only (ctx.db().readOnly: read-only transaction and
 * statement timeout). Wrapped in a LIMIT so a query that returns a million
 * rows never crosses the network whole.
 */
export async function runSavedQuery(db: Queryable, text: string, maxRows = 50): Promise<QueryTable> {
  const { sql } = checkSingleSelect(text);
  const started = Date.now();
  const result = await db.query({ text: `SELECT * FROM (${sql}\n) AS saved LIMIT ${maxRows + 1}`, rowMode: 'array' });
  const columns = result.fields.map((f) => f.name);
  const rows = (result.rows as unknown[][]).map((r) => r.map(asText));
  return { columns, rows: rows.slice(0, maxRows), truncated: rows.length > maxRows, tookMs: Date.now() - started };
}
