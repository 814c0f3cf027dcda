import type { ConnectionsSnapshot } from '../src/probes/pg-diagnostics/types.js';
import { section, type KnownBlock } from './blocks.js';
import { cell, envContext, formatAge, tableSections, thresholdBar } from './db-format.js';
import type { Reply, Tone } from './reply.js';

const MAX_GROUPS = 15;
// An idle-in-transaction session older than this holds locks and blocks VACUUM: worth naming.
const IDLE_IN_TX_WARN_MS = 5 * 60_000;

/** `/ops db connections`: used vs max_connections with a bar to the threshold, then who holds them. */
export function renderDbConnections(env: string, snap: ConnectionsSnapshot, thresholdPercent: number): Reply {
  const percent = snap.maxConnections > 0 ? (snap.total / snap.maxConnections) * 100 : 0;
  const tone: Tone = percent >= thresholdPercent ? 'danger' : percent >= thresholdPercent * 0.75 ? 'warning' : 'ok';
  const icon =
    tone === 'danger' ? ':red_circle:' : tone === 'warning' ? ':large_yellow_circle:' : ':large_green_circle:';
  const verdict =
    tone === 'danger'
      ? `over the ${thresholdPercent}% threshold`
      : tone === 'warning'
        ? `approaching the ${thresholdPercent}% threshold`
        : `below the ${thresholdPercent}% threshold`;
  const states = snap.byState.map((s) => `${s.count} ${s.state}`).join(' · ') || 'none';
  const blocks: KnownBlock[] = [
    section(
      `${icon} *${env}: ${snap.total} of ${snap.maxConnections} connections* (${Math.round(percent)}%), ${verdict}`,
    ),
    section(`\`${thresholdBar(percent, thresholdPercent)}\`\n${states}`),
  ];
  if (snap.oldestIdleInTransactionMs !== null && snap.oldestIdleInTransactionMs > IDLE_IN_TX_WARN_MS) {
    blocks.push(
      section(
        `:warning: A session has been *idle in transaction* for ${formatAge(snap.oldestIdleInTransactionMs)}: it holds its locks and keeps VACUUM from cleaning up. See \`/ops db activity ${env}\`.`,
      ),
    );
  }
  if (tone !== 'ok') {
    blocks.push(
      section(
        `Next: \`/ops db activity ${env}\` for what they run, \`/ops db kill-idle ${env} --older 10m\` to end idle ones (needs approval).`,
      ),
    );
  }
  const shown = snap.groups.slice(0, MAX_GROUPS);
  if (shown.length) {
    blocks.push(
      ...tableSections(
        ['user', 'application', 'database', 'total', 'active', 'idle', 'idle in tx'],
        shown.map((g) => [
          cell(g.user, 16),
          cell(g.application, 24),
          cell(g.database, 16),
          String(g.total),
          String(g.active),
          String(g.idle),
          String(g.idleInTransaction),
        ]),
        ['l', 'l', 'l', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  const more = snap.groups.length - shown.length;
  blocks.push(
    envContext(
      env,
      `max_connections ${snap.maxConnections} (${snap.reserved} reserved for superusers)`,
      `client connections on the whole server`,
      more > 0 ? `… ${more} more user/application groups` : undefined,
    ),
  );
  return {
    text: `${env}: ${snap.total}/${snap.maxConnections} connections (${Math.round(percent)}%, threshold ${thresholdPercent}%)`,
    tone,
    blocks,
  };
}
