import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { envContext, tableSections } from './db-format.js';
import { clock, failedPartLine, worstTone } from './aws-common.js';
import type { Reply, Tone } from './reply.js';
import { EB_AUTOSCALING_GUIDE, ECS_AUTOSCALING_GUIDE } from '../src/config/guide-autoscaling.js';
import type { EcsAutoScalingView, ScalingPolicyView } from '../src/aws/ecs-autoscaling.js';
import type { EbAutoScalingView } from '../src/aws/eb-autoscaling.js';
import type { Part } from './aws-common.js';

/** One compared setting: `ok`, `differs` from the guide, `missing` (the guide has it, AWS has not), `info` (no guide). */
export interface SettingRow {
  setting: string;
  now: string;
  guide: string;
  verdict: 'ok' | 'differs' | 'missing' | 'info';
}

const MARK: Record<SettingRow['verdict'], string> = { ok: '✓', differs: '≠ differs', missing: '✗ missing', info: '' };
const seconds = (s: number | undefined) => (s === undefined ? '—' : s % 60 === 0 ? `${s / 60} min` : `${s}s`);
const same = (now: number | undefined, guide: number): SettingRow['verdict'] =>
  now === undefined ? 'missing' : now === guide ? 'ok' : 'differs';

function trackingPolicy(policies: ScalingPolicyView[], metric: string): ScalingPolicyView | undefined {
  return policies.find((p) => p.type === 'TargetTrackingScaling' && p.metric === metric);
}

/** An ECS service's scaling against the SoleMate guide (min 2, max 20, CPU 70 %, memory 80 %, cooldowns 5 min). */
export function judgeEcs(v: EcsAutoScalingView): SettingRow[] {
  const g = ECS_AUTOSCALING_GUIDE;
  if (!v.target)
    return [
      {
        setting: 'scalable target',
        now: 'not registered',
        guide: `min ${g.minCapacity} / max ${g.maxCapacity}`,
        verdict: 'missing',
      },
    ];
  const cpu = trackingPolicy(v.policies, 'ECSServiceAverageCPUUtilization');
  const memory = trackingPolicy(v.policies, 'ECSServiceAverageMemoryUtilization');
  const tracking = [cpu, memory].filter((p): p is ScalingPolicyView => p !== undefined);
  const cooldown = (pick: (p: ScalingPolicyView) => number | undefined, guide: number, setting: string): SettingRow => {
    const values = [...new Set(tracking.map(pick))];
    const verdict = !tracking.length ? 'missing' : values.every((x) => x === guide) ? 'ok' : 'differs';
    return { setting, now: tracking.length ? values.map(seconds).join(' / ') : '—', guide: seconds(guide), verdict };
  };
  const rows: SettingRow[] = [
    {
      setting: 'min tasks',
      now: String(v.target.min),
      guide: String(g.minCapacity),
      verdict: same(v.target.min, g.minCapacity),
    },
    {
      setting: 'max tasks',
      now: String(v.target.max),
      guide: String(g.maxCapacity),
      verdict: same(v.target.max, g.maxCapacity),
    },
    {
      setting: 'CPU target',
      now: cpu?.targetValue === undefined ? '—' : `${cpu.targetValue}%`,
      guide: `${g.cpuTargetPercent}%`,
      verdict: same(cpu?.targetValue, g.cpuTargetPercent),
    },
    {
      setting: 'memory target',
      now: memory?.targetValue === undefined ? '—' : `${memory.targetValue}%`,
      guide: `${g.memoryTargetPercent}%`,
      verdict: same(memory?.targetValue, g.memoryTargetPercent),
    },
    cooldown((p) => p.scaleOutCooldownSeconds, g.scaleOutCooldownSeconds, 'scale-out cooldown'),
    cooldown((p) => p.scaleInCooldownSeconds, g.scaleInCooldownSeconds, 'scale-in cooldown'),
  ];
  if (v.target.suspended) rows.push({ setting: 'scaling', now: 'suspended', guide: 'active', verdict: 'differs' });
  return rows;
}

/** A Beanstalk environment's scaling against the same line (min 2, max 20, trigger CPU > 70 %, cooldown 5 min). */
export function judgeEb(v: EbAutoScalingView): SettingRow[] {
  const g = EB_AUTOSCALING_GUIDE;
  const c = v.config;
  if (c.environmentType === 'SingleInstance')
    return [{ setting: 'environment type', now: 'SingleInstance', guide: 'LoadBalanced', verdict: 'differs' }];
  const upper = c.trigger?.upper === undefined ? undefined : Number(c.trigger.upper);
  const unit = c.trigger?.unit ? ` ${c.trigger.unit}` : '';
  return [
    {
      setting: 'min instances',
      now: c.minSize === undefined ? '—' : String(c.minSize),
      guide: String(g.minSize),
      verdict: same(c.minSize, g.minSize),
    },
    {
      setting: 'max instances',
      now: c.maxSize === undefined ? '—' : String(c.maxSize),
      guide: String(g.maxSize),
      verdict: same(c.maxSize, g.maxSize),
    },
    {
      setting: 'trigger metric',
      now: c.trigger?.measure ?? '—',
      guide: g.triggerMeasure,
      verdict: c.trigger?.measure === undefined ? 'missing' : c.trigger.measure === g.triggerMeasure ? 'ok' : 'differs',
    },
    {
      setting: 'scale out above',
      now: upper === undefined ? '—' : `${c.trigger!.upper}${unit}`,
      guide: `${g.triggerUpperPercent} Percent`,
      verdict: c.trigger?.measure !== g.triggerMeasure ? 'differs' : same(upper, g.triggerUpperPercent),
    },
    {
      setting: 'cooldown',
      now: seconds(c.cooldownSeconds),
      guide: seconds(g.cooldownSeconds),
      verdict: same(c.cooldownSeconds, g.cooldownSeconds),
    },
  ];
}

export interface AutoScalingReportView {
  env: string;
  ecs?: { name: string; part: Part<EcsAutoScalingView> }[];
  beanstalk?: { name: string; part: Part<EbAutoScalingView> };
  notes: string[];
}

const rowsTable = (rows: SettingRow[]) =>
  tableSections(
    ['setting', 'now', 'guide', ''],
    rows.map((r) => [r.setting, r.now, r.guide, MARK[r.verdict]]),
    ['l', 'r', 'r', 'l'],
  );

const off = (rows: SettingRow[]) => rows.filter((r) => r.verdict === 'differs' || r.verdict === 'missing');

function ecsDetail(v: EcsAutoScalingView): string[] {
  const lines = v.policies.map(
    (p) =>
      `• policy \`${escapeMrkdwn(p.name)}\` ${p.type}${p.metric ? ` on ${p.metric}` : ''}${p.targetValue !== undefined ? ` at ${p.targetValue}` : ''}${p.disableScaleIn ? ' (scale-in disabled)' : ''}`,
  );
  if (!v.activities.ok) lines.push(failedPartLine('recent scaling activities', v.activities.error));
  else if (v.activities.value.length)
    lines.push(
      '*Recent scaling activities*',
      ...v.activities.value.map(
        (a) =>
          `• ${clock(a.startedAt)} ${a.status === 'Successful' ? '' : `*${a.status}* `}${escapeMrkdwn(a.description)}${a.statusMessage && a.status !== 'Successful' ? ` — ${escapeMrkdwn(a.statusMessage)}` : ''}`,
      ),
    );
  else lines.push('_No recent scaling activity._');
  return lines;
}

/** `/ops autoscaling`: each ECS service's and the Beanstalk environment's scaling, compared with the guides. */
export function renderAutoScaling(r: AutoScalingReportView): Reply {
  const blocks: KnownBlock[] = [];
  const tones: Tone[] = [];
  const summary: string[] = [];
  for (const { name, part } of r.ecs ?? []) {
    if (!part.ok) {
      tones.push('warning');
      summary.push(`${name}: could not read`);
      blocks.push(section(failedPartLine(`ECS service ${name}`, part.error)));
      continue;
    }
    const rows = judgeEcs(part.value);
    const bad = off(rows);
    tones.push(bad.length ? 'warning' : 'ok');
    if (bad.length) summary.push(`${name}: ${bad.map((b) => b.setting).join(', ')}`);
    blocks.push(section(`*ECS service \`${escapeMrkdwn(name)}\`*`), ...rowsTable(rows));
    const detail = ecsDetail(part.value);
    if (detail.length) blocks.push(section(detail.join('\n')));
  }
  if (r.beanstalk) {
    const { name, part } = r.beanstalk;
    if (!part.ok) {
      tones.push('warning');
      summary.push(`${name}: could not read`);
      blocks.push(section(failedPartLine(`Elastic Beanstalk ${name}`, part.error)));
    } else {
      const rows = judgeEb(part.value);
      const bad = off(rows);
      tones.push(bad.length ? 'warning' : 'ok');
      if (bad.length) summary.push(`${name}: ${bad.map((b) => b.setting).join(', ')}`);
      const g = part.value.group;
      const live = g.ok
        ? `Auto Scaling group \`${escapeMrkdwn(g.value.group ?? '?')}\`: min ${g.value.min ?? '—'} / max ${g.value.max ?? '—'}, desired ${g.value.desired}, ${g.value.running} in service`
        : failedPartLine('Auto Scaling group', g.error);
      blocks.push(section(`*Elastic Beanstalk \`${escapeMrkdwn(name)}\`*`), ...rowsTable(rows), section(live));
    }
  }
  const tone = worstTone(tones);
  const verdict =
    tone === 'ok'
      ? `:large_green_circle: *${r.env}: auto scaling matches the guides*`
      : `:large_yellow_circle: *${r.env}: auto scaling differs from the guides* — ${summary.join('; ')}`;
  blocks.unshift(section(verdict));
  blocks.push(
    envContext(
      r.env,
      r.ecs ? `ECS guide: ${ECS_AUTOSCALING_GUIDE.guide}` : undefined,
      r.beanstalk ? `Beanstalk guide: ${EB_AUTOSCALING_GUIDE.guide}` : undefined,
      'change with `/ops autoscaling --min N --max M`',
      ...r.notes,
    ),
  );
  return { text: verdict.replace(/[*]|:[a-z_]+: /g, ''), tone, blocks };
}

export function renderAutoScalingSet(
  env: string,
  target: string,
  from: string,
  min: number,
  max: number,
  desired?: number,
): Reply {
  const text = `${env}: ${target.replace(/`/g, '')} now scales between ${min} and ${max}`;
  return {
    text,
    tone: 'ok',
    blocks: [
      section(`:white_check_mark: *${escapeMrkdwn(text)}*`),
      section(`min / max ${from} → ${min} / ${max}${desired === undefined ? '' : `; desired now ${desired}`}`),
    ],
  };
}
