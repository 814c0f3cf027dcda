import type { BlockedQuery } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { backendLine } from './db-activity.js';
import { envContext, formatAge } from './db-format.js';
import type { Reply } from './reply.js';

/** `/ops db locks`: each blocked query under what blocks it, and the root blockers (blocking, not blocked) first. */
export function renderDbLocks(env: string, blocked: BlockedQuery[]): Reply {
  if (blocked.length === 0) {
    return {
      text: `${env}: no blocked queries`,
      tone: 'ok',
      blocks: [section(`:large_green_circle: *${env}*: no query is waiting for a lock.`), envContext(env)],
    };
  }
  const blockedPids = new Set(blocked.map((b) => b.blocked.pid));
  const roots = new Map<number, BlockedQuery['blocking']>();
  for (const b of blocked) if (!blockedPids.has(b.blocking.pid)) roots.set(b.blocking.pid, b.blocking);
  const waiting = new Set(blocked.map((b) => b.blocked.pid)).size;
  const blocks: KnownBlock[] = [
    section(
      `:lock: *${env}: ${waiting} quer${waiting === 1 ? 'y' : 'ies'} blocked*, longest waiting ${formatAge(blocked[0].blocked.durationMs)}`,
    ),
  ];
  if (roots.size) {
    blocks.push(
      section(`*Blocking the others* (not waiting themselves):\n${[...roots.values()].map(backendLine).join('\n')}`),
    );
  }
  const lines = blocked
    .slice(0, 20)
    .map(
      (b) =>
        `${backendLine(b.blocked)}\n   ↳ blocked by *pid ${b.blocking.pid}*${b.waitingFor ? ` (waits for ${escapeMrkdwn(b.waitingFor)})` : ''}`,
    );
  for (let i = 0; i < lines.length; i += 6)
    blocks.push(section((i === 0 ? '*Waiting*:\n' : '') + lines.slice(i, i + 6).join('\n')));
  const root = roots.keys().next().value;
  blocks.push(
    envContext(
      env,
      blocked.length > 20 ? `… ${blocked.length - 20} more` : undefined,
      root !== undefined ? `end a blocker with \`/ops db kill ${env} ${root}\` (needs approval)` : undefined,
    ),
  );
  return {
    text: `${env}: ${waiting} blocked queries; blockers: ${[...roots.keys()].join(', ') || 'a cycle'}`,
    tone: 'warning',
    blocks,
  };
}
