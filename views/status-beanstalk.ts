import { escapeMrkdwn, section, truncate, type KnownBlock } from './blocks.js';
import { TONE_ICON, clock, failedPartLine, worstTone, type Finding, type Part } from './aws-common.js';
import type { Tone } from './reply.js';

export interface EbStatusView {
  application: string;
  environment: string;
  env: Part<{
    status: string;
    health: string;
    healthStatus?: string;
    versionLabel?: string;
    cname?: string;
    platform?: string;
    updatedAt?: Date;
  }>;
  health: Part<{
    color?: string;
    healthStatus?: string;
    causes: string[];
    instances: Record<string, number>;
    requestCount?: number;
    statusCodes?: { s5xx: number; s4xx: number; s2xx: number; s3xx: number };
    latencyP99Ms?: number;
  }>;
  events: Part<{ at?: Date; severity: string; message: string }[]>;
}

const EB_COLOR: Record<string, Tone> = { Green: 'ok', Yellow: 'warning', Red: 'danger', Grey: 'muted' };
const EB_HEALTH: Record<string, Tone> = {
  Ok: 'ok',
  Info: 'ok',
  Warning: 'warning',
  Degraded: 'danger',
  Severe: 'danger',
  Pending: 'muted',
  Unknown: 'muted',
  NoData: 'muted',
  Suspended: 'muted',
};

export function judgeBeanstalk(eb: EbStatusView): Finding {
  if (!eb.env.ok) return { tone: 'warning', reason: 'Elastic Beanstalk could not be checked' };
  const e = eb.env.value;
  const health = ebHealth(eb);
  const statusKey = health.status;
  const tone = worstTone([
    EB_COLOR[health.color] ?? 'muted',
    statusKey ? (EB_HEALTH[statusKey] ?? 'muted') : 'ok',
    e.status === 'Ready' ? 'ok' : e.status.startsWith('Terminat') ? 'danger' : 'warning',
  ]);
  if (tone === 'ok') return { tone };
  const why = health.causes[0] ? `: ${health.causes[0]}` : '';
  const state = e.status !== 'Ready' ? `${e.status}, ` : '';
  return {
    tone,
    reason: `Beanstalk \`${eb.environment}\` ${state}health ${health.color}${statusKey ? ` (${statusKey})` : ''}${why}`,
  };
}

/**
 * The one health source for the environment: enhanced health (DescribeEnvironmentHealth, refreshed
 * every 10 s) when it answers, else DescribeEnvironments' colour. The two are never shown side by side.
 */
export function ebHealth(eb: EbStatusView): { color: string; status?: string; causes: string[]; source: string } {
  const e = eb.env.ok ? eb.env.value : undefined;
  if (eb.health.ok)
    return {
      color: eb.health.value.color ?? e?.health ?? 'Grey',
      status: eb.health.value.healthStatus ?? e?.healthStatus,
      causes: eb.health.value.causes,
      source: 'enhanced health',
    };
  return { color: e?.health ?? 'Grey', status: e?.healthStatus, causes: [], source: 'environment health' };
}

const EVENT_ICON: Record<string, string> = { FATAL: ':x:', ERROR: ':x:', WARN: ':warning:' };

export function beanstalkBlocks(eb: EbStatusView, now: Date): KnownBlock[] {
  if (!eb.env.ok) return [section(failedPartLine(`Elastic Beanstalk ${eb.environment}`, eb.env.error))];
  const e = eb.env.value;
  const finding = judgeBeanstalk(eb);
  const h0 = ebHealth(eb);
  const lines = [
    `${TONE_ICON[finding.tone]} *Elastic Beanstalk* \`${escapeMrkdwn(e.cname ?? eb.environment)}\` — ${e.status} · health *${h0.color}*${h0.status ? ` (${h0.status})` : ''} · version \`${escapeMrkdwn(e.versionLabel ?? '?')}\``,
  ];
  if (eb.health.ok) {
    const h = eb.health.value;
    const counts = Object.entries(h.instances).map(([k, n]) => `${n} ${k.toLowerCase()}`);
    if (counts.length) lines.push(`Instances: ${counts.join(', ')}`);
    if (h.statusCodes && h.requestCount !== undefined)
      lines.push(
        `Last 10 s: ${h.requestCount} requests, ${h.statusCodes.s5xx} 5xx, ${h.statusCodes.s4xx} 4xx${h.latencyP99Ms !== undefined ? `, p99 ${h.latencyP99Ms} ms` : ''}`,
      );
    for (const cause of h.causes.slice(0, 5)) lines.push(`> ${escapeMrkdwn(cause)}`);
  } else {
    lines.push(`_Enhanced health unavailable: ${escapeMrkdwn(eb.health.error)}_`);
  }
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  if (eb.events.ok && eb.events.value.length) {
    const ev = eb.events.value.map(
      (x) => `${EVENT_ICON[x.severity] ?? '•'} \`${clock(x.at, now)}\` ${escapeMrkdwn(truncate(x.message, 240))}`,
    );
    blocks.push(section(`*Recent events* (newest first)\n${ev.join('\n')}`));
  } else if (!eb.events.ok) {
    blocks.push(section(failedPartLine('Beanstalk events', eb.events.error)));
  }
  return blocks;
}
