import type { BloatEstimate } from '../src/probes/pg-diagnostics/types.js';
import { section, type KnownBlock } from './blocks.js';
import { cell, envContext, formatBytes, qualifiedName, tableSections } from './db-format.js';
import type { Reply } from './reply.js';

/** Bloat worth acting on: at least this share of the relation and this many bytes. */
const NOTABLE_PERCENT = 30;
const NOTABLE_BYTES = 1024 * 1024;

/** `/ops db bloat`: estimated wasted space in tables and b-tree indexes. */
export function renderDbBloat(env: string, estimates: BloatEstimate[]): Reply {
  const notable = estimates.filter((b) => b.bloatPercent >= NOTABLE_PERCENT && b.bloatBytes >= NOTABLE_BYTES);
  const total = estimates.reduce((sum, b) => sum + b.bloatBytes, 0);
  const blocks: KnownBlock[] = [
    section(
      notable.length
        ? `:balloon: *${env}: ${notable.length} relation${notable.length === 1 ? '' : 's'} with notable bloat*, about ${formatBytes(total)} reclaimable in all`
        : `:large_green_circle: *${env}*: no notable bloat (${formatBytes(total)} estimated in all).`,
    ),
  ];
  for (const kind of ['table', 'index'] as const) {
    const rows = estimates.filter((b) => b.kind === kind);
    if (!rows.length) continue;
    blocks.push(section(`*${kind === 'table' ? 'Tables' : 'Indexes (b-tree)'}*`));
    blocks.push(
      ...tableSections(
        [kind, ...(kind === 'index' ? ['table'] : []), 'size', 'bloat', '%'],
        rows.map((b) => [
          cell(kind === 'index' ? (b.index ?? '?') : qualifiedName(b.schema, b.table), 36),
          ...(kind === 'index' ? [cell(qualifiedName(b.schema, b.table), 28)] : []),
          formatBytes(b.bytes),
          formatBytes(b.bloatBytes),
          `${Math.round(b.bloatPercent)}%`,
        ]),
        kind === 'index' ? ['l', 'l', 'r', 'r', 'r'] : ['l', 'r', 'r', 'r'],
      ),
    );
  }
  blocks.push(
    envContext(
      env,
      'estimated from planner statistics (run ANALYZE first; exact: pgstattuple)',
      'VACUUM makes the space reusable; giving it back needs `VACUUM FULL` (locks the table), pg_repack, or `REINDEX CONCURRENTLY` for indexes',
    ),
  );
  return {
    text: `${env}: ${notable.length} relations with notable bloat, ~${formatBytes(total)} estimated`,
    tone: notable.length ? 'warning' : 'ok',
    blocks,
  };
}
