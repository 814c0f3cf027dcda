import type { TableSizes } from '../src/probes/pg-diagnostics/types.js';
import { section } from './blocks.js';
import { cell, envContext, formatBytes, formatCount, qualifiedName } from './db-format.js';
import { dataTable } from './table.js';
import type { Reply } from './reply.js';

/** `/ops db tables`: the largest tables with their total, heap, index and TOAST sizes and row estimates. */
export function renderDbTables(env: string, sizes: TableSizes): Reply {
  if (sizes.tables.length === 0)
    return {
      text: `${env}: no user tables`,
      tone: 'muted',
      blocks: [section(`*${env}*: this database has no user tables.`), envContext(env)],
    };
  const rows = sizes.tables.map((t) => [
    cell(qualifiedName(t.schema, t.name), 36),
    formatBytes(t.totalBytes),
    formatBytes(t.tableBytes),
    formatBytes(t.indexBytes),
    formatBytes(t.toastBytes),
    t.rowEstimate === null ? '?' : `~${formatCount(t.rowEstimate)}`,
  ]);
  const unknown = sizes.tables.some((t) => t.rowEstimate === null);
  return {
    text: `${env}: largest tables: ${sizes.tables
      .slice(0, 5)
      .map((t) => `${qualifiedName(t.schema, t.name)} ${formatBytes(t.totalBytes)}`)
      .join(', ')}`,
    tone: 'info',
    blocks: [
      section(
        `:card_file_box: *${env}: ${sizes.tables.length === sizes.count ? `all ${sizes.count}` : `largest ${sizes.tables.length} of ${sizes.count}`} tables*`,
      ),
      ...dataTable(
        [
          { header: 'table' },
          { header: 'total', align: 'right' },
          { header: 'heap', align: 'right' },
          { header: 'indexes', align: 'right' },
          { header: 'toast', align: 'right' },
          { header: 'rows', align: 'right' },
        ],
        rows,
      ),
      envContext(
        env,
        'rows are the planner’s estimates',
        unknown ? '? = never analyzed' : undefined,
        sizes.count > sizes.tables.length ? 'more: `--limit 50`' : undefined,
      ),
    ],
  };
}
