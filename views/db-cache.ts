import type { CacheStats } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section } from './blocks.js';
import { envContext, formatCount, formatPercent, qualifiedName, thresholdBar, timeAgo } from './db-format.js';
import type { Reply, Tone } from './reply.js';

/** `/ops db cache`: share of reads served from shared buffers, against the target (default 99 %) and the alert line (90 %). */
export function renderDbCache(
  env: string,
  stats: CacheStats,
  lines: { warn: number; critical: number },
  now: Date,
): Reply {
  const targetPercent = lines.warn;
  const alertPercent = lines.critical;
  if (stats.databaseRatio === null) {
    return {
      text: `${env}: no reads recorded yet`,
      tone: 'muted',
      blocks: [
        section(`:grey_question: *${env}*: no block reads recorded since the statistics were reset.`),
        envContext(env),
      ],
    };
  }
  const percent = stats.databaseRatio * 100;
  const tone: Tone = percent < alertPercent ? 'danger' : percent < targetPercent ? 'warning' : 'ok';
  const icon =
    tone === 'danger' ? ':red_circle:' : tone === 'warning' ? ':large_yellow_circle:' : ':large_green_circle:';
  const verdict =
    tone === 'ok'
      ? `meets the ${targetPercent}% target`
      : tone === 'warning'
        ? `below the ${targetPercent}% target`
        : `below the ${alertPercent}% alert line`;
  const detail = `tables ${formatPercent(stats.tableRatio)} · indexes ${formatPercent(stats.indexRatio)}`;
  const reads = stats.mostRead.map(
    (t) =>
      `• *${escapeMrkdwn(qualifiedName(t.schema, t.name))}*: ${formatCount(t.read)} blocks from disk, hit ${formatPercent(t.ratio)}`,
  );
  return {
    text: `${env}: cache hit ratio ${formatPercent(stats.databaseRatio)} (${verdict})`,
    tone,
    blocks: [
      section(`${icon} *${env}: cache hit ratio ${formatPercent(stats.databaseRatio)}*, ${verdict}`),
      section(
        `\`${thresholdBar(percent, targetPercent)}\`\n${detail}${reads.length ? `\n*Most read from disk*\n${reads.join('\n')}` : ''}`,
      ),
      envContext(
        env,
        stats.statsSince
          ? `since statistics were reset ${timeAgo(stats.statsSince, now)}`
          : 'statistics never reset: counted since the server began collecting them',
        'lower than 99% means shared_buffers (instance memory) is small for the working set',
      ),
    ],
  };
}
