import type { BackendDetail, IdleConnection, TerminationReport } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { envContext, formatAge, inlineQuery } from './db-format.js';
import type { Reply } from './reply.js';

/** "12 × app / web-api, 3 × report / (none)": whose connections, counted. */
export function summarizeOwners(connections: IdleConnection[]): string {
  const counts = new Map<string, number>();
  for (const c of connections) {
    const key = `${c.user ?? '?'} / ${c.application}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([who, n]) => `${n} × ${escapeMrkdwn(who)}`)
    .join(', ');
}

/** The effect shown on the approval card of `db kill-idle`, computed when it is requested. */
export function describeKillIdleEffect(env: string, olderLabel: string, candidates: IdleConnection[]): string {
  if (candidates.length === 0)
    return `Right now no connection on the *${env}* database has been idle longer than ${olderLabel}: nothing would be ended.`;
  const oldest = Math.max(...candidates.map((c) => c.idleMs));
  return (
    `Ends *${candidates.length} idle connection${candidates.length === 1 ? '' : 's'}* on the *${env}* database, idle longer than ${olderLabel} (oldest ${formatAge(oldest)}): ${summarizeOwners(candidates)}. ` +
    `Exactly these (pids ${pidList(candidates)}); one that closed, got busy or whose pid was reused is left alone.`
  );
}

function pidList(connections: IdleConnection[], max = 12): string {
  const shown = connections.slice(0, max).map((c) => c.pid);
  return `${shown.join(', ')}${connections.length > max ? ` and ${connections.length - max} more` : ''}`;
}

/** What `db kill-idle` did once approved. */
export function renderKillIdleDone(env: string, olderLabel: string, report: TerminationReport): Reply {
  const n = report.ended.length;
  const blocks: KnownBlock[] = [
    section(
      n
        ? `:scissors: *${env}: ended ${n} idle connection${n === 1 ? '' : 's'}* (idle longer than ${olderLabel}): ${summarizeOwners(report.ended)}`
        : `:large_green_circle: *${env}*: no connection was idle longer than ${olderLabel}; nothing ended.`,
    ),
  ];
  if (report.skipped.length) {
    const why = report.why
      ? ` (${report.skipped
          .slice(0, 6)
          .map((c) => report.why?.[c.pid])
          .filter(Boolean)
          .join('; ')})`
      : '';
    blocks.push(
      section(
        `Left alone ${report.skipped.length} that became busy or closed meanwhile: ${summarizeOwners(report.skipped)}${escapeMrkdwn(why)}`,
      ),
    );
  }
  if (report.failed.length)
    blocks.push(
      section(
        `:warning: Could not end ${report.failed.length} (not allowed, or already gone): ${summarizeOwners(report.failed)}. opsbot’s user needs \`pg_signal_backend\` (RDS: rds_superuser).`,
      ),
    );
  blocks.push(
    envContext(env, 'the applications’ pools reconnect as needed', `check with \`/ops db connections ${env}\``),
  );
  return {
    text: `${env}: ended ${n} idle connections (older than ${olderLabel})`,
    tone: report.failed.length ? 'warning' : 'ok',
    blocks,
  };
}

function backendSummary(b: BackendDetail): string {
  const who = `${escapeMrkdwn(b.user ?? '?')} / ${escapeMrkdwn(b.application)}${b.client ? ` from ${escapeMrkdwn(b.client)}` : ''}`;
  return `pid ${b.pid} (${who}), ${escapeMrkdwn(b.state ?? 'unknown state')} for ${formatAge(b.durationMs)}: ${inlineQuery(b.query, 200)}`;
}

/** The effect shown on the approval card of `db kill <pid>`. */
export function describeKillEffect(env: string, backend: BackendDetail): string {
  const tx =
    backend.state === 'active' || backend.state?.startsWith('idle in transaction')
      ? ' Its open transaction is rolled back.'
      : '';
  return `Ends connection ${backendSummary(backend)} on the *${env}* database.${tx}`;
}

export function renderKillDone(env: string, backend: BackendDetail, ended: boolean): Reply {
  if (!ended) {
    return {
      text: `${env}: pid ${backend.pid} was not ended`,
      tone: 'warning',
      blocks: [
        section(`:warning: *${env}*: pid ${backend.pid} was not ended; it had already gone or changed.`),
        envContext(env),
      ],
    };
  }
  return {
    text: `${env}: ended pid ${backend.pid} (${backend.user ?? '?'} / ${backend.application})`,
    tone: 'ok',
    blocks: [
      section(`:scissors: *${env}: ended* ${backendSummary(backend)}`),
      envContext(env, `check with \`/ops db activity ${env}\``),
    ],
  };
}
