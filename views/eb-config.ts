import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { envContext } from './db-format.js';
import type { Reply } from './reply.js';
import type { EbConfigView } from '../src/aws/beanstalk-config.js';

/** The guides' auto scaling settings (issue 17: min 2 / max 20, CPU 70 %). */
const GUIDE = { min: 2, max: 20, cpu: 70 };

export function renderEbConfig(env: string, environment: string, c: EbConfigView, notes: string[]): Reply {
  const findings: string[] = [];
  if (c.environmentType === 'SingleInstance')
    findings.push('single instance: no load balancer, and one instance failing is an outage');
  else if (c.minSize !== undefined && c.minSize < GUIDE.min)
    findings.push(`min ${c.minSize} instance: the guides keep at least ${GUIDE.min}`);
  if (c.maxSize !== undefined && c.maxSize > GUIDE.max)
    findings.push(`max ${c.maxSize}: the guides cap at ${GUIDE.max}`);
  if (c.healthReporting && c.healthReporting !== 'enhanced') findings.push('basic health reporting: enable enhanced');
  const verdict = findings.length
    ? `:large_yellow_circle: *${env}: ${escapeMrkdwn(environment)}* — ${findings.join('; ')}`
    : `:large_green_circle: *${env}: ${escapeMrkdwn(environment)}* is configured as the guides recommend`;
  const t = c.trigger;
  const lines = [
    `*Platform* ${escapeMrkdwn(c.platform ?? 'unknown')}`,
    `*Instances* ${c.instanceTypes.join(', ') || 'unknown'} · ${c.environmentType ?? '?'}${c.loadBalancerType ? ` · ${c.loadBalancerType} load balancer` : ''}`,
    `*Scaling* min ${c.minSize ?? '?'} / max ${c.maxSize ?? '?'}${t?.measure ? ` · on ${[t.statistic, t.measure, `${t.upper ?? '?'}/${t.lower ?? '?'}`, t.unit].filter(Boolean).join(' ')}` : ''} (guides: min ${GUIDE.min} / max ${GUIDE.max}, CPU ${GUIDE.cpu} %)`,
    `*Health* ${c.healthReporting ?? '?'} reporting${c.healthCheckUrl ? ` · check ${escapeMrkdwn(c.healthCheckUrl)}` : ''}`,
    `*Environment variables* (${c.envVarNames.length}, names only) ${c.envVarNames.map((n) => `\`${escapeMrkdwn(n)}\``).join(' ') || '_none_'}`,
  ];
  const blocks: KnownBlock[] = [
    section(verdict),
    section(lines.join('\n')),
    envContext(env, 'values are never shown', ...notes),
  ];
  return { text: verdict.replace(/[*]|:[a-z_]+: /g, ''), tone: findings.length ? 'warning' : 'ok', blocks };
}
