import type { MissingIndexReport } from '../src/probes/pg-diagnostics/missing-indexes.js';
import { escapeMrkdwn, section } from './blocks.js';
import { cell, envContext, formatBytes, formatCount, qualifiedName, tableSections, timeAgo } from './db-format.js';
import type { Reply } from './reply.js';

/** `/ops db missing-indexes`: tables read by sequential scans over many rows, largest first, with a column to try. */
export function renderDbMissingIndexes(env: string, report: MissingIndexReport, now: Date): Reply {
  const since = report.statsSince
    ? `statistics since ${timeAgo(report.statsSince, now)}`
    : 'statistics since the last reset';
  const rule = `≥ ${report.minSeqScans} seq scans, ≥ ${formatCount(report.minRows)} rows, fewer index scans than seq scans`;
  if (report.tables.length === 0) {
    return {
      text: `${env}: no table looks like it is missing an index`,
      tone: 'ok',
      blocks: [
        section(`:large_green_circle: *${env}*: no table is read mostly by sequential scans over many rows (${rule}).`),
        envContext(env, since),
      ],
    };
  }
  const rows = report.tables.map((t) => [
    cell(qualifiedName(t.schema, t.name), 32),
    formatBytes(t.bytes),
    formatCount(t.seqScans),
    formatCount(t.seqScans ? t.seqRowsRead / t.seqScans : 0),
    formatCount(t.indexScans),
    t.suggestedColumn ? cell(t.suggestedColumn, 24) : '—',
  ]);
  const first = report.tables.find((t) => t.suggestedColumn);
  const example = first
    ? `try \`CREATE INDEX CONCURRENTLY ON ${escapeMrkdwn(qualifiedName(first.schema, first.name))} (${escapeMrkdwn(first.suggestedColumn!)})\` after checking the slow queries (\`/ops db slow\`, \`/ops db explain\`)`
    : 'check which columns the slow queries filter on: `/ops db slow`, `/ops db explain`';
  return {
    text: `${env}: ${report.total} table${report.total === 1 ? '' : 's'} read mostly by sequential scans`,
    tone: 'warning',
    blocks: [
      section(
        `:mag: *${env}: ${report.total} table${report.total === 1 ? '' : 's'} may be missing an index* — read mostly by sequential scans over many rows, largest first`,
      ),
      ...tableSections(['table', 'size', 'seq scans', 'rows/scan', 'idx scans', 'suggested column'], rows, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'l',
      ]),
      section(example),
      envContext(
        env,
        rule,
        'suggested column: pg_stats says selective and scattered, no index starts with it (ESN guide)',
        since,
        report.total > report.tables.length ? `… ${report.total - report.tables.length} more: \`--limit\`` : undefined,
      ),
    ],
  };
}
