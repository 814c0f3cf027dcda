import type { ConnectionsSnapshot } from '../src/probes/pg-diagnostics/types.js';
import { section, type KnownBlock } from './blocks.js';
import { cell, envContext, formatAge, thresholdBar } from './db-format.js';
import { dataTable } from './table.js';
import type { Reply, Tone } from './reply.js';

const MAX_GROUPS = 15;
// An idle-in-transaction session older than this holds locks and blocks VACUUM: worth naming.
const IDLE_IN_TX_WARN_MS = 5 * 60_000;

/** `/ops db connections`: used vs max_connections with a bar to the threshold, then who holds them. */
/** The lines connections are judged by: share of max_connections, and optionally an absolute count (ESN: < 50, > 80). */
export interface ConnectionLines {
  percent: { warn: number; critical: number };
  count?: { warn: number; critical: number };
}

/** Past a critical line is red, past a warning line yellow; the verdict names the line that decided. */
export function judgeConnections(total: number, max: number, lines: ConnectionLines): { tone: Tone; why: string } {
  const percent = max > 0 ? (total / max) * 100 : 0;
  const { percent: p, count: c } = lines;
  if (percent >= p.critical) return { tone: 'danger', why: `over the ${p.critical}% critical line` };
  if (c && total > c.critical) return { tone: 'danger', why: `over the ${c.critical}-connection critical line` };
  if (percent >= p.warn) return { tone: 'warning', why: `over the ${p.warn}% warning line` };
  if (c && total > c.warn) return { tone: 'warning', why: `over the ${c.warn}-connection warning line` };
  return { tone: 'ok', why: `below the ${p.warn}% warning line${c ? ` and ${c.warn} connections` : ''}` };
}

export function renderDbConnections(env: string, snap: ConnectionsSnapshot, lines: ConnectionLines): Reply {
  const percent = snap.maxConnections > 0 ? (snap.total / snap.maxConnections) * 100 : 0;
  const thresholdPercent = lines.percent.warn;
  const { tone, why: verdict } = judgeConnections(snap.total, snap.maxConnections, lines);
  const icon =
    tone === 'danger' ? ':red_circle:' : tone === 'warning' ? ':large_yellow_circle:' : ':large_green_circle:';
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
      ...dataTable(
        [
          { header: 'user' },
          { header: 'application' },
          { header: 'database' },
          { header: 'total', align: 'right' },
          { header: 'active', align: 'right' },
          { header: 'idle', align: 'right' },
          { header: 'idle in tx', align: 'right' },
        ],
        shown.map((g) => [
          cell(g.user, 16),
          cell(g.application, 24),
          cell(g.database, 16),
          String(g.total),
          String(g.active),
          String(g.idle),
          String(g.idleInTransaction),
        ]),
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
    text: `${env}: ${snap.total}/${snap.maxConnections} connections (${Math.round(percent)}%, ${verdict})`,
    tone,
    blocks,
  };
}
