import type { DatabaseSize } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section } from './blocks.js';
import { envContext, formatBytes, qualifiedName } from './db-format.js';
import type { Reply } from './reply.js';

/** `/ops db size`: the database on disk, split into table data, indexes and TOAST, with the largest tables. */
export function renderDbSize(env: string, size: DatabaseSize): Reply {
  const split = `tables ${formatBytes(size.tableBytes)} · indexes ${formatBytes(size.indexBytes)} · TOAST ${formatBytes(size.toastBytes)} · ${size.tableCount} table${size.tableCount === 1 ? '' : 's'}`;
  const largest = size.largest.map(
    (t) =>
      `• *${escapeMrkdwn(qualifiedName(t.schema, t.name))}* ${formatBytes(t.totalBytes)}${size.bytes > 0 ? ` (${Math.round((t.totalBytes / size.bytes) * 100)}%)` : ''}`,
  );
  return {
    text: `${env}: database ${size.database} is ${formatBytes(size.bytes)}`,
    tone: 'info',
    blocks: [
      section(`:floppy_disk: *${env}: database \`${escapeMrkdwn(size.database)}\` is ${formatBytes(size.bytes)}*`),
      section(split + (largest.length ? `\n*Largest tables*\n${largest.join('\n')}` : '')),
      envContext(env, 'per table: `/ops db tables`', 'storage left on RDS: `/ops metrics`'),
    ],
  };
}
