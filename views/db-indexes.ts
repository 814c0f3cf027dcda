import type { IndexUsageReport } from '../src/probes/pg-diagnostics/types.js';
import { section } from './blocks.js';
import { cell, envContext, formatBytes, formatCount, qualifiedName, tableSections, timeAgo } from './db-format.js';
import type { Reply } from './reply.js';

/** `/ops db indexes`: indexes nobody (or almost nobody) reads, with what they cost on disk. */
export function renderDbIndexes(env: string, report: IndexUsageReport, now: Date): Reply {
  const since = report.statsSince
    ? `since statistics were reset ${timeAgo(report.statsSince, now)}`
    : 'since statistics were last reset';
  if (report.indexes.length === 0) {
    return {
      text: `${env}: every index was used at least ${report.rareBelow} times`,
      tone: 'ok',
      blocks: [
        section(
          `:large_green_circle: *${env}*: every non-unique index was scanned at least ${report.rareBelow} times ${since}.`,
        ),
        envContext(env),
      ],
    };
  }
  const unused = report.indexes.filter((i) => i.scans === 0).length;
  const rows = report.indexes.map((i) => [
    cell(i.index, 36),
    cell(qualifiedName(i.schema, i.table), 28),
    formatCount(i.scans),
    formatBytes(i.bytes),
    i.valid ? (i.scans === 0 ? 'unused' : 'rare') : 'INVALID',
  ]);
  return {
    text: `${env}: ${report.totalCandidates} unused or rarely used indexes, ${formatBytes(report.totalBytes)}`,
    tone: 'warning',
    blocks: [
      section(
        `:mag: *${env}: ${report.totalCandidates} index${report.totalCandidates === 1 ? '' : 'es'} unused or rarely used* (fewer than ${report.rareBelow} scans), ${formatBytes(report.totalBytes)} on disk${unused ? ` · ${unused} never scanned` : ''}`,
      ),
      ...tableSections(['index', 'table', 'scans', 'size', ''], rows, ['l', 'l', 'r', 'r', 'l']),
      envContext(
        env,
        since,
        'primary-key and unique indexes left out (they enforce constraints)',
        'check replicas and monthly jobs before dropping; drop with `DROP INDEX CONCURRENTLY`',
        report.totalCandidates > report.indexes.length
          ? `… ${report.totalCandidates - report.indexes.length} more: \`--limit\``
          : undefined,
      ),
    ],
  };
}
