import type { DatabaseSize } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section } from './blocks.js';
import { envContext, formatBytes, qualifiedName } from './db-format.js';
import type { Reply } from './reply.js';
import { growthLines, type DbGrowthView } from './db-growth.js';

/** `/ops db size`: the database on disk, split into table data, indexes and TOAST, with the largest tables. */
export function renderDbSize(env: string, size: DatabaseSize, growth?: DbGrowthView): Reply {
  const split = `tables ${formatBytes(size.tableBytes)} · indexes ${formatBytes(size.indexBytes)} · TOAST ${formatBytes(size.toastBytes)} · ${size.tableCount} table${size.tableCount === 1 ? '' : 's'}`;
  const largest = size.largest.map(
    (t) =>
      `• *${escapeMrkdwn(qualifiedName(t.schema, t.name))}* ${formatBytes(t.totalBytes)}${size.bytes > 0 ? ` (${Math.round((t.totalBytes / size.bytes) * 100)}%)` : ''}`,
  );
  const projection = growth ? growthLines(growth) : undefined;
  // Within a month of full is worth a warning (the guides grow storage or enable autoscaling well before).
  const soon = projection?.daysLeft !== undefined && projection.daysLeft < 30;
  return {
    text: `${env}: database ${size.database} is ${formatBytes(size.bytes)}${soon ? `, storage full in about ${Math.floor(projection.daysLeft!)} days` : ''}`,
    tone: soon ? 'warning' : 'info',
    blocks: [
      section(`:floppy_disk: *${env}: database \`${escapeMrkdwn(size.database)}\` is ${formatBytes(size.bytes)}*`),
      section(split + (largest.length ? `\n*Largest tables*\n${largest.join('\n')}` : '')),
      ...(projection ? [section(projection.lines.join('\n'))] : []),
      envContext(env, 'per table: `/ops db tables`', 'storage left on RDS: `/ops metrics`'),
    ],
  };
}
