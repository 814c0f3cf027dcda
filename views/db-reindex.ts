import type { ReindexPlan, ReindexReport } from '../src/probes/pg-diagnostics/reindex.js';
import { escapeMrkdwn, section } from './blocks.js';
import { envContext, formatAge, formatBytes, qualifiedName } from './db-format.js';
import type { Reply } from './reply.js';

function label(plan: ReindexPlan): string {
  const t = plan.target;
  return t.kind === 'database' ? `database ${t.name}` : qualifiedName(t.schema, t.name);
}

export function reindexJobTitle(env: string, plan: ReindexPlan): string {
  return `${plan.blocking ? 'REINDEX' : 'REINDEX CONCURRENTLY'} ${label(plan)} on ${env}`;
}

/** The finished (or cancelled) reindex job: sizes before and after, and anything left to clean up. */
export function renderReindexDone(env: string, plan: ReindexPlan, report: ReindexReport): Reply {
  const name = escapeMrkdwn(label(plan));
  const sizes =
    report.bytesAfter === null
      ? ''
      : ` · indexes ${formatBytes(report.bytesBefore)} → ${formatBytes(report.bytesAfter)}`;
  const cleanup = report.leftInvalid.length
    ? `\n:warning: Invalid indexes left by an interrupted concurrent rebuild: ${report.leftInvalid.map((n) => `\`${escapeMrkdwn(n)}\``).join(', ')} — drop each with \`DROP INDEX CONCURRENTLY <name>\`.`
    : '';
  return {
    text: report.cancelled
      ? `${env}: reindex of ${label(plan)} cancelled`
      : `${env}: rebuilt the indexes of ${label(plan)} in ${formatAge(report.durationMs)}`,
    tone: report.cancelled || report.leftInvalid.length ? 'warning' : 'ok',
    blocks: [
      section(
        report.cancelled
          ? `:octagonal_sign: *${env}: reindex of \`${name}\` cancelled* after ${formatAge(report.durationMs)}${cleanup}`
          : `:hammer_and_wrench: *${env}: rebuilt ${plan.target.indexCount} index${plan.target.indexCount === 1 ? '' : 'es'} of \`${name}\`* in ${formatAge(report.durationMs)}${sizes}${cleanup}`,
      ),
      envContext(
        env,
        plan.blocking ? 'plain REINDEX (blocking, approved)' : 'REINDEX CONCURRENTLY: reads and writes went on',
      ),
    ],
  };
}
