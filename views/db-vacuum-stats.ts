import type { VacuumStatsReport } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { cell, envContext, formatCount, qualifiedName, tableSections, timeAgo } from './db-format.js';
import type { Reply } from './reply.js';

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** `/ops db vacuum-stats`: dead tuples and when each table was last vacuumed and analyzed, the worst first. */
export function renderDbVacuumStats(env: string, report: VacuumStatsReport, now: Date): Reply {
  if (report.tables.length === 0)
    return {
      text: `${env}: no user tables`,
      tone: 'muted',
      blocks: [section(`*${env}*: this database has no user tables.`), envContext(env)],
    };
  // Autovacuum starts at threshold + scale_factor × live rows; past that, the table is waiting for it.
  const due = report.tables.filter((t) => t.dead > report.threshold + report.scaleFactor * t.live);
  const off = report.tables.filter((t) => !t.autovacuumEnabled);
  const rows = report.tables.map((t) => [
    cell(qualifiedName(t.schema, t.name), 32),
    formatCount(t.dead),
    t.live + t.dead > 0 ? `${Math.round((t.dead / (t.live + t.dead)) * 100)}%` : '—',
    timeAgo(t.lastVacuum, now),
    timeAgo(t.lastAutovacuum, now),
    timeAgo(latest(t.lastAnalyze, t.lastAutoanalyze), now),
    t.autovacuumEnabled ? '' : 'autovacuum off',
  ]);
  const warnings: string[] = [];
  if (!report.autovacuumOn)
    warnings.push(
      ':warning: `autovacuum` is *off* for the whole server: dead tuples pile up and transaction ids wrap around. Turn it back on.',
    );
  if (off.length)
    warnings.push(
      `:warning: autovacuum is disabled on ${off.map((t) => `\`${escapeMrkdwn(qualifiedName(t.schema, t.name))}\``).join(', ')}.`,
    );
  if (due.length)
    warnings.push(
      `${due.length} table${due.length === 1 ? ' is' : 's are'} past the autovacuum trigger: ${due
        .slice(0, 5)
        .map((t) => `\`${escapeMrkdwn(qualifiedName(t.schema, t.name))}\``)
        .join(', ')}. Vacuum now with \`/ops db vacuum ${env} <table>\`.`,
    );
  const blocks: KnownBlock[] = [
    section(`:broom: *${env}: vacuum and analyze*, tables with the most dead tuples first`),
    ...warnings.map((w) => section(w)),
  ];
  blocks.push(
    ...tableSections(['table', 'dead', 'dead%', 'vacuum', 'autovacuum', 'analyze', ''], rows, [
      'l',
      'r',
      'r',
      'l',
      'l',
      'l',
      'l',
    ]),
  );
  blocks.push(
    envContext(
      env,
      `autovacuum ${report.autovacuumOn ? 'on' : 'OFF'}: triggers at ${report.threshold} + ${report.scaleFactor * 100}% of rows dead`,
    ),
  );
  return {
    text: `${env}: most dead tuples in ${report.tables
      .slice(0, 3)
      .map((t) => `${qualifiedName(t.schema, t.name)} (${formatCount(t.dead)})`)
      .join(', ')}`,
    tone: warnings.length ? 'warning' : 'ok',
    blocks,
  };
}
