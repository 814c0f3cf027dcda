import pg from 'pg';

/** Schemas that hold the application's tables: not pg_catalog, pg_toast, pg_temp_N or information_schema. */
export const USER_NAMESPACE = `(n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema')`;

/** Milliseconds since a timestamp, as a JS number (extract() is numeric, which pg returns as a string). */
export function msSince(column: string): string {
  return `(extract(epoch FROM now() - ${column}) * 1000)::float8`;
}

/** Query texts can hold literals: mask the ones that are passwords before they leave the database module. */
export function maskQuery(text: string | null): string {
  if (!text) return '';
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(password\s+)('(?:[^']|'')*'|\$\$.*?\$\$)/gi, "$1'***'")
    .replace(/(pgp_sym_(?:en|de)crypt\s*\([^,]*,\s*)'(?:[^']|'')*'/gi, "$1'***'");
}

/** Quotes a catalogue name as an identifier; used only on names read back from pg_class, never on user input. */
export function quoteIdent(name: string): string {
  return pg.escapeIdentifier(name);
}

export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Runs queries one after another: a pg client runs one at a time, and queueing them concurrently is deprecated. */
export async function sequentially<T extends readonly (() => Promise<unknown>)[]>(
  steps: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const step of steps) results.push(await step());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
