import type { CacheStats } from '../src/probes/pg-diagnostics/types.js';
import { escapeMrkdwn, section } from './blocks.js';
import { envContext, formatCount, formatPercent, qualifiedName, thresholdBar, timeAgo } from './db-format.js';
import type { Reply, Tone } from './reply.js';

/** The guides' warning line: a cache hit ratio under 70 % is an alert, whatever the target. */
export const CACHE_HIT_ALERT_PERCENT = 70;

/** `/ops db cache`: share of reads served from memory, against the target (default 80 %) and the 70 % alert line. */
export function renderDbCache(env: string, stats: CacheStats, targetPercent: number, now: Date): Reply {
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
  const tone: Tone = percent < CACHE_HIT_ALERT_PERCENT ? 'danger' : percent < targetPercent ? 'warning' : 'ok';
  const icon =
    tone === 'danger' ? ':red_circle:' : tone === 'warning' ? ':large_yellow_circle:' : ':large_green_circle:';
  const verdict =
    tone === 'ok'
      ? `meets the ${targetPercent}% target`
      : tone === 'warning'
        ? `below the ${targetPercent}% target`
        : `below the ${CACHE_HIT_ALERT_PERCENT}% alert line`;
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
        `since statistics were reset ${timeAgo(stats.statsSince, now)}`,
        'a busy OLTP database usually stays above 99%; lower means shared_buffers (instance memory) is small for the working set',
      ),
    ],
  };
}
