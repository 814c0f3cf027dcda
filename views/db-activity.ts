import type { BackendActivity } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { envContext, formatAge, inlineQuery } from './db-format.js';
import type { Reply } from './reply.js';

const PER_SECTION = 8;

/** One backend on two lines: who and how long, then what it runs. */
export function backendLine(b: BackendActivity): string {
  const wait = b.waitEventType ? ` · waits on ${escapeMrkdwn(`${b.waitEventType}:${b.waitEvent ?? '?'}`)}` : '';
  const who = `${escapeMrkdwn(b.user ?? '?')} / ${escapeMrkdwn(b.application)}${b.client ? ` from ${escapeMrkdwn(b.client)}` : ''}`;
  return `*pid ${b.pid}* · ${formatAge(b.durationMs)} · ${escapeMrkdwn(b.state ?? 'unknown state')}${wait} · ${who}\n${inlineQuery(b.query)}`;
}

export function backendSections(rows: BackendActivity[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < rows.length; i += PER_SECTION)
    blocks.push(
      section(
        rows
          .slice(i, i + PER_SECTION)
          .map(backendLine)
          .join('\n'),
      ),
    );
  return blocks;
}

/**
 * `/ops db activity` and `/ops db long`: sessions of this database doing
 * something, longest first. `overMs` set means only the long-running ones.
 */
export function renderDbActivity(
  env: string,
  rows: BackendActivity[],
  options: { overMs?: number; limit: number },
): Reply {
  const long = options.overMs !== undefined;
  const active = rows.filter((r) => r.state === 'active').length;
  const idleInTx = rows.filter((r) => r.state?.startsWith('idle in transaction')).length;
  const what = long ? `running longer than ${formatAge(options.overMs!)}` : 'busy';
  if (rows.length === 0) {
    return {
      text: `${env}: no sessions ${what}`,
      tone: 'ok',
      blocks: [
        section(`:large_green_circle: *${env}*: no sessions ${what}.`),
        envContext(env, 'opsbot’s own session is left out'),
      ],
    };
  }
  const counts = [`${active} active`, idleInTx ? `${idleInTx} idle in transaction` : undefined]
    .filter(Boolean)
    .join(', ');
  const head = long
    ? `:hourglass: *${env}: ${rows.length} session${rows.length === 1 ? '' : 's'} ${what}* (${counts}); longest ${formatAge(rows[0].durationMs)}`
    : `:zap: *${env}: ${rows.length} busy session${rows.length === 1 ? '' : 's'}* (${counts})`;
  const hidden = rows.some((r) => r.query.includes('<insufficient privilege>'));
  return {
    text: `${env}: ${rows.length} sessions ${what}`,
    tone: long ? 'warning' : 'info',
    blocks: [
      section(head),
      ...backendSections(rows),
      envContext(
        env,
        rows.length >= options.limit ? `first ${options.limit} shown` : undefined,
        hidden ? 'some queries hidden: grant opsbot’s user `pg_read_all_stats` (or pg_monitor) to see them' : undefined,
        `end one with \`/ops db kill ${env} <pid>\` (needs approval)`,
      ),
    ],
  };
}
