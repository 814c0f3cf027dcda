import type { VacuumReport } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { cell, envContext, formatAge, formatCount, qualifiedName, tableSections } from './db-format.js';
import type { Reply } from './reply.js';

/** The title of the vacuum job's progress message. */
export function vacuumJobTitle(env: string, table?: { schema: string; name: string }): string {
  return table
    ? `VACUUM (ANALYZE) ${qualifiedName(table.schema, table.name)} on ${env}`
    : `VACUUM (ANALYZE) of every table on ${env}`;
}

/** The finished vacuum job: what was vacuumed, dead tuples before and after, what was skipped. */
export function renderDbVacuumDone(env: string, report: VacuumReport): Reply {
  const skipped = report.tables.filter((t) => t.skipped);
  const done = report.tables.filter((t) => !t.skipped);
  const reclaimed = done.reduce((sum, t) => sum + Math.max(0, (t.deadBefore ?? 0) - (t.deadAfter ?? 0)), 0);
  const head =
    report.scope === 'table' && done.length === 1
      ? `:broom: *${env}: vacuumed and analyzed \`${escapeMrkdwn(qualifiedName(done[0].schema, done[0].name))}\`* in ${formatAge(done[0].durationMs)}`
      : `:broom: *${env}: vacuumed and analyzed ${done.length} table${done.length === 1 ? '' : 's'}*`;
  const blocks: KnownBlock[] = [section(`${head}; ${formatCount(reclaimed)} dead tuples cleaned up`)];
  const worked = [...done].sort((a, b) => (b.deadBefore ?? 0) - (a.deadBefore ?? 0)).slice(0, 15);
  if (worked.length) {
    blocks.push(
      ...tableSections(
        ['table', 'dead before', 'dead after', 'took'],
        worked.map((t) => [
          cell(qualifiedName(t.schema, t.name), 36),
          t.deadBefore === null ? '?' : formatCount(t.deadBefore),
          t.deadAfter === null ? '?' : formatCount(t.deadAfter),
          formatAge(t.durationMs),
        ]),
        ['l', 'r', 'r', 'r'],
      ),
    );
  }
  if (skipped.length) {
    blocks.push(
      section(
        `:warning: Skipped ${skipped.length}: ${skipped
          .slice(0, 10)
          .map((t) => `\`${escapeMrkdwn(qualifiedName(t.schema, t.name))}\` (${escapeMrkdwn(t.skipped ?? '')})`)
          .join(', ')}`,
      ),
    );
  }
  blocks.push(
    envContext(
      env,
      done.length > worked.length ? `${done.length - worked.length} more tables not listed` : undefined,
      'space is reusable now; the files do not shrink',
    ),
  );
  return {
    text: `${env}: vacuumed ${done.length} table(s), ${formatCount(reclaimed)} dead tuples cleaned${skipped.length ? `, ${skipped.length} skipped` : ''}`,
    tone: skipped.length ? 'warning' : 'ok',
    blocks,
  };
}
