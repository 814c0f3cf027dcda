import type { SlowQueriesResult } from '../src/probes/pg-diagnostics/types.js';
import { section, type KnownBlock } from './blocks.js';
import { cell, envContext, formatCount, formatPercent, formatQueryMs } from './db-format.js';
import { dataTable } from './table.js';
import type { Reply } from './reply.js';

/** `/ops db slow`: the costliest statements from pg_stat_statements, or exactly how to enable it. */
export function renderDbSlow(env: string, result: SlowQueriesResult): Reply {
  if (!result.installed) return renderNotInstalled(env, result.loaded, result.available);
  const by = result.orderBy === 'mean' ? 'mean time per call' : 'total time';
  if (result.statements.length === 0) {
    return {
      text: `${env}: pg_stat_statements has no statements yet`,
      tone: 'muted',
      blocks: [
        section(`:grey_question: *${env}*: pg_stat_statements has recorded no statements for this database yet.`),
        envContext(env),
      ],
    };
  }
  const rows = result.statements.map((s, i) => [
    String(i + 1),
    formatQueryMs(s.meanMs),
    formatQueryMs(s.totalMs),
    result.totalMs > 0 ? `${((s.totalMs / result.totalMs) * 100).toFixed(0)}%` : '—',
    formatCount(s.calls),
    formatCount(s.rows),
    formatPercent(s.hitRatio),
    cell(s.query.replace(/\s+/g, ' ').trim() || '(no query text)', 300),
  ]);
  const right = { align: 'right' as const };
  const blocks: KnownBlock[] = [
    section(`:snail: *${env}: top ${result.statements.length} statements by ${by}*`),
    ...dataTable(
      [
        { header: '#', ...right },
        { header: 'mean', ...right },
        { header: 'total', ...right },
        { header: 'of all', ...right },
        { header: 'calls', ...right },
        { header: 'rows', ...right },
        { header: 'cache hit', ...right },
        { header: 'query', wrap: true },
      ],
      rows,
    ),
  ];
  blocks.push(
    envContext(
      env,
      `pg_stat_statements ${result.version}`,
      `since its last reset`,
      result.orderBy === 'mean' ? 'sort by total time: `--by total`' : 'sort by mean time: `--by mean`',
    ),
  );
  return {
    text: `${env}: slowest statements by ${by}: ${result.statements
      .slice(0, 3)
      .map((s) => `${formatQueryMs(s.meanMs)} ${s.query.slice(0, 60)}`)
      .join('; ')}`,
    tone: 'info',
    blocks,
  };
}

function renderNotInstalled(env: string, loaded: boolean, available: boolean): Reply {
  const steps: string[] = [];
  if (!available)
    steps.push(
      'Install the contrib package on the database server (Debian/Ubuntu: `postgresql-contrib`; it ships with RDS and Aurora).',
    );
  if (!loaded) {
    steps.push(
      'Load the library at server start: add `pg_stat_statements` to `shared_preload_libraries`.\n' +
        '   • *RDS / Aurora*: in the instance’s (custom) DB parameter group set `shared_preload_libraries` to include `pg_stat_statements` (the default group cannot be edited: create one, attach it to the instance).\n' +
        "   • *Self-managed*: `ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';` (keep any libraries already listed, comma-separated), or edit postgresql.conf.",
      'Restart Postgres (RDS: reboot the instance, in a maintenance window); the setting takes effect only at start.',
    );
  }
  steps.push(
    'Create the extension in this database, as its owner or an rds_superuser: `CREATE EXTENSION IF NOT EXISTS pg_stat_statements;`',
  );
  const what = loaded ? 'is loaded but not created in this database' : 'is not enabled on this server';
  return {
    text: `${env}: pg_stat_statements ${what}. ${steps.join(' ')}`,
    tone: 'warning',
    blocks: [
      section(`:warning: *${env}*: \`db slow\` reads the \`pg_stat_statements\` extension, which ${what}.`),
      section(steps.map((s, i) => `${i + 1}. ${s}`).join('\n')),
      envContext(env, 'then `/ops db slow` again; it starts counting from that moment'),
    ],
  };
}
