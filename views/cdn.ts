import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, worstTone } from './aws-common.js';
import { renderMetrics, type MetricsView } from './metrics.js';
import type { Reply } from './reply.js';
import type { DistributionInfo, InvalidationInfo } from '../src/aws/cloudfront.js';

export interface CdnView {
  /** The distribution, or why it could not be read (the metrics still stand). */
  distribution: { ok: true; value: DistributionInfo } | { ok: false; error: string; id: string };
  /** The CloudFront rows (group "CloudFront"), judged exactly as /ops metrics judges its rows. */
  metrics: MetricsView;
}

function distributionLine(d: CdnView['distribution']): { line: string; tone: Reply['tone'] } {
  if (!d.ok)
    return { line: `:warning: *${d.id}*: could not read the distribution — ${escapeMrkdwn(d.error)}`, tone: 'warning' };
  const v = d.value;
  const tone: Reply['tone'] = v.enabled ? 'ok' : 'warning';
  const state = v.enabled
    ? v.status === 'Deployed'
      ? 'Deployed'
      : `${v.status} (a configuration change is propagating to the edge locations)`
    : `disabled (${v.status}): it serves nothing`;
  const aliases = v.aliases.length ? ` · ${v.aliases.map(escapeMrkdwn).join(', ')}` : '';
  const busy = v.inProgressInvalidations ? ` · ${v.inProgressInvalidations} invalidation(s) in progress` : '';
  return {
    line: `${TONE_ICON[tone]} *${v.id}* \`${v.domain ?? '?'}\`${aliases} — ${state}${busy}${v.comment ? `\n_${escapeMrkdwn(v.comment)}_` : ''}`,
    tone,
  };
}

/**
 * `/ops cdn`: the distribution, then its error and cache-hit rates against the Expo guide's targets. The
 * verdict, the rows and their sparklines come from renderMetrics (one judgement); a distribution that is
 * disabled or unreadable only makes the tone worse and says so on its own line.
 */
export function renderCdn(view: CdnView): Reply {
  const reply = renderMetrics(view.metrics);
  const dist = distributionLine(view.distribution);
  const blocks: KnownBlock[] = [...reply.blocks];
  blocks.splice(1, 0, section(dist.line));
  const tone = worstTone([reply.tone ?? 'ok', dist.tone ?? 'ok']);
  const off = view.distribution.ok && !view.distribution.value.enabled ? ' (the distribution is disabled)' : '';
  return { ...reply, tone, text: `${reply.text}${off}`, blocks };
}

/** The end of `/ops cdn invalidate`: what was invalidated, and how long CloudFront took. */
export function renderInvalidationDone(
  env: string,
  distribution: string,
  inv: InvalidationInfo,
  tookMs: number,
): Reply {
  const paths = inv.paths.map((p) => `\`${escapeMrkdwn(p)}\``).join(', ');
  const secs = Math.round(tookMs / 1000);
  const took = secs >= 60 ? `${Math.floor(secs / 60)}m ${secs % 60}s` : `${secs}s`;
  const text = `${env}: invalidation ${inv.id} of ${distribution} completed in ${took}`;
  return {
    text,
    tone: 'ok',
    blocks: [
      section(
        `${TONE_ICON.ok} *${escapeMrkdwn(text)}*\n${paths} — the edge locations fetch these from the origin on the next request.`,
      ),
    ],
  };
}
