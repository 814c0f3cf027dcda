import { context, escapeMrkdwn, section, truncate, type KnownBlock } from './blocks.js';
import { drLastLine, type DrLastView } from './dr-test.js';
import { TONE_ICON, ago, clock, failedPartLine, footer, plural, worstTone, type Part } from './aws-common.js';
import type { Reply, Tone } from './reply.js';

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

export interface EcsServiceStatus {
  name: string;
  status: string;
  desired: number;
  running: number;
  pending: number;
  taskDefinition: string;
  deployments: {
    status: string;
    taskDefinition: string;
    desired: number;
    running: number;
    pending: number;
    failedTasks: number;
    rolloutState?: string;
    rolloutStateReason?: string;
    createdAt?: Date;
  }[];
  events: { at?: Date; message: string }[];
}

export interface EcsStatusView {
  cluster: string;
  services: Part<{ services: EcsServiceStatus[]; missing: { name: string; reason: string }[] }>;
  stopped: Record<
    string,
    Part<
      {
        id: string;
        taskDefinition: string;
        stoppedAt?: Date;
        stopCode?: string;
        stoppedReason?: string;
        containers: { name: string; exitCode?: number; reason?: string }[];
      }[]
    >
  >;
}

export interface RdsStatusView {
  instance: string;
  db: Part<{
    status: string;
    instanceClass: string;
    engine: string;
    engineVersion?: string;
    allocatedGb: number;
    multiAz: boolean;
    pendingModifications: string[];
  }>;
  freeGb: Part<number | undefined>;
  freeStorageGb: number;
}

export interface StatusView {
  env: string;
  region?: string;
  checkedAt: Date;
  tookMs: number;
  notes: string[];
  beanstalk?: EbStatusView;
  ecs?: EcsStatusView;
  rds?: RdsStatusView;
  /** The last /ops dr test (null: none recorded; absent: not known, so not shown). */
  lastDrTest?: DrLastView | null;
}

interface Finding {
  tone: Tone;
  reason?: string;
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
const RDS_BAD = new Set([
  'storage-full',
  'failed',
  'stopped',
  'inaccessible-encryption-credentials',
  'restore-error',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'deleting',
]);

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

export function judgeEcsService(svc: EcsServiceStatus): Finding {
  const primary = svc.deployments.find((d) => d.status === 'PRIMARY');
  if (svc.status !== 'ACTIVE') return { tone: 'danger', reason: `ECS ${svc.name} is ${svc.status}` };
  if (primary?.rolloutState === 'FAILED')
    return {
      tone: 'danger',
      reason: `ECS ${svc.name}: deployment of ${shortTd(primary.taskDefinition)} failed${primary.rolloutStateReason ? ` — ${primary.rolloutStateReason}` : ''}`,
    };
  if (svc.desired > 0 && svc.running === 0)
    return { tone: 'danger', reason: `ECS ${svc.name}: 0 of ${svc.desired} tasks running` };
  if (svc.running < svc.desired) {
    const failing =
      primary && primary.failedTasks > 0 ? `, ${plural(primary.failedTasks, 'task')} failed to start` : '';
    return { tone: 'warning', reason: `ECS ${svc.name}: ${svc.running} of ${svc.desired} tasks running${failing}` };
  }
  if (primary?.rolloutState === 'IN_PROGRESS' || svc.deployments.length > 1) {
    return {
      tone: 'warning',
      reason: `ECS ${svc.name}: deploying ${shortTd(primary?.taskDefinition ?? svc.taskDefinition)}${primary && primary.failedTasks > 0 ? ` (${plural(primary.failedTasks, 'failed task')})` : ''}`,
    };
  }
  return { tone: 'ok' };
}

export function judgeRds(rds: RdsStatusView): Finding {
  if (!rds.db.ok) return { tone: 'warning', reason: 'RDS could not be checked' };
  const { status } = rds.db.value;
  const free = rds.freeGb.ok ? rds.freeGb.value : undefined;
  if (status !== 'available')
    return {
      tone: RDS_BAD.has(status) || status.startsWith('incompatible') ? 'danger' : 'warning',
      reason: `RDS ${rds.instance} is ${status}`,
    };
  if (free !== undefined && free < rds.freeStorageGb * 0.4)
    return { tone: 'danger', reason: `RDS ${rds.instance}: only ${free.toFixed(1)} GB free` };
  if (free !== undefined && free < rds.freeStorageGb)
    return {
      tone: 'warning',
      reason: `RDS ${rds.instance}: ${free.toFixed(1)} GB free (threshold ${rds.freeStorageGb} GB)`,
    };
  return { tone: 'ok' };
}

function shortTd(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

const EVENT_ICON: Record<string, string> = { FATAL: ':x:', ERROR: ':x:', WARN: ':warning:' };

function beanstalkBlocks(eb: EbStatusView, now: Date): KnownBlock[] {
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

function ecsServiceLines(
  svc: EcsServiceStatus,
  stopped: EcsStatusView['stopped'][string] | undefined,
  now: Date,
): string {
  const finding = judgeEcsService(svc);
  const lines = [
    `${TONE_ICON[finding.tone]} *${escapeMrkdwn(svc.name)}* — ${svc.running}/${svc.desired} running${svc.pending ? `, ${svc.pending} pending` : ''} · \`${escapeMrkdwn(shortTd(svc.taskDefinition))}\``,
  ];
  for (const d of svc.deployments) {
    const rollout = d.rolloutState ? ` ${d.rolloutState}` : '';
    lines.push(
      `  ${d.status}${rollout} \`${escapeMrkdwn(shortTd(d.taskDefinition))}\` ${d.running}/${d.desired} running${d.failedTasks ? `, ${d.failedTasks} failed` : ''}${d.createdAt ? ` · started ${ago(d.createdAt, now)}` : ''}${d.rolloutStateReason && d.rolloutState !== 'COMPLETED' ? `\n    _${escapeMrkdwn(truncate(d.rolloutStateReason, 200))}_` : ''}`,
    );
  }
  for (const ev of svc.events.slice(0, 3))
    lines.push(`  \`${clock(ev.at, now)}\` ${escapeMrkdwn(truncate(ev.message, 200))}`);
  if (stopped && !stopped.ok) lines.push(`  _stopped tasks: ${escapeMrkdwn(stopped.error)}_`);
  const recent = stopped?.ok
    ? stopped.value.filter(
        (t) => finding.tone !== 'ok' || (t.stoppedAt && now.getTime() - t.stoppedAt.getTime() < 6 * 3_600_000),
      )
    : [];
  for (const t of recent.slice(0, 2)) {
    const exit =
      t.containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ?? t.containers.find((c) => c.reason);
    const container = exit
      ? ` — ${exit.name}${exit.exitCode !== undefined ? ` exit ${exit.exitCode}` : ''}${exit.reason ? `: ${exit.reason}` : ''}`
      : '';
    lines.push(
      `  :octagonal_sign: task \`${t.id.slice(0, 8)}\` (${escapeMrkdwn(t.taskDefinition)}) stopped ${ago(t.stoppedAt, now)}: ${escapeMrkdwn(truncate(`${t.stoppedReason ?? t.stopCode ?? 'unknown'}${container}`, 240))}`,
    );
  }
  return lines.join('\n');
}

function ecsBlocks(ecs: EcsStatusView, now: Date): KnownBlock[] {
  if (!ecs.services.ok) return [section(failedPartLine(`ECS ${ecs.cluster}`, ecs.services.error))];
  const { services, missing } = ecs.services.value;
  const texts = [
    ...services.slice(0, 10).map((svc) => ecsServiceLines(svc, ecs.stopped[svc.name], now)),
    ...missing.map(
      (m) =>
        `:red_circle: *${escapeMrkdwn(m.name)}* — not found in cluster \`${escapeMrkdwn(ecs.cluster)}\` (${escapeMrkdwn(m.reason)}). Check \`ecs.services\` in ops.yml.`,
    ),
  ];
  const title = `*ECS* cluster \`${escapeMrkdwn(ecs.cluster)}\``;
  const blocks: KnownBlock[] = texts.length
    ? texts.map((t, i) => section(i === 0 ? `${title}\n${t}` : t))
    : [section(`${title}: no services`)];
  if (services.length > 10) blocks.push(context(`… ${services.length - 10} more services`));
  return blocks;
}

function rdsBlocks(rds: RdsStatusView): KnownBlock[] {
  if (!rds.db.ok) return [section(failedPartLine(`RDS ${rds.instance}`, rds.db.error))];
  const db = rds.db.value;
  const finding = judgeRds(rds);
  const free = rds.freeGb.ok
    ? rds.freeGb.value === undefined
      ? 'free storage: no recent datapoint'
      : `${rds.freeGb.value.toFixed(1)} GB free`
    : `free storage unknown (${escapeMrkdwn(rds.freeGb.error)})`;
  const lines = [
    `${TONE_ICON[finding.tone]} *RDS* \`${escapeMrkdwn(rds.instance)}\` — ${db.status} · ${db.instanceClass} · ${db.engine} ${db.engineVersion ?? ''}${db.multiAz ? ' · Multi-AZ' : ''}`,
    `Storage: ${db.allocatedGb} GB allocated, ${free}`,
  ];
  if (db.pendingModifications.length) lines.push(`Pending: ${escapeMrkdwn(db.pendingModifications.join(', '))}`);
  return [section(lines.join('\n'))];
}

/** `/ops status`: overall verdict first, each degraded item saying why, then EB, ECS and RDS. */
export function renderStatus(view: StatusView): Reply {
  const findings: Finding[] = [];
  if (view.beanstalk) findings.push(judgeBeanstalk(view.beanstalk));
  if (view.ecs) {
    if (!view.ecs.services.ok) findings.push({ tone: 'warning', reason: 'ECS could not be checked' });
    else {
      findings.push(...view.ecs.services.value.services.map(judgeEcsService));
      findings.push(
        ...view.ecs.services.value.missing.map((m) => ({
          tone: 'danger' as Tone,
          reason: `ECS service ${m.name} not found`,
        })),
      );
    }
  }
  if (view.rds) findings.push(judgeRds(view.rds));
  const tone = worstTone(findings.map((f) => f.tone));
  const reasons = findings.filter((f) => f.reason).map((f) => f.reason!);
  const verdict =
    tone === 'ok'
      ? `${TONE_ICON.ok} *${view.env} is healthy* — ${[view.beanstalk && 'Beanstalk green', view.ecs && 'ECS services steady', view.rds && 'RDS available'].filter(Boolean).join(' · ')}`
      : `${TONE_ICON[tone]} *${view.env} is ${tone === 'danger' ? 'degraded' : 'not all well'}* — ${escapeMrkdwn(reasons.join('; '))}`;
  const now = view.checkedAt;
  const blocks: KnownBlock[] = [section(verdict)];
  if (view.beanstalk) blocks.push(...beanstalkBlocks(view.beanstalk, now));
  if (view.ecs) blocks.push(...ecsBlocks(view.ecs, now));
  if (view.rds) blocks.push(...rdsBlocks(view.rds));
  if (view.lastDrTest !== undefined) blocks.push(context(drLastLine(view.lastDrTest ?? undefined, now, view.env)));
  blocks.push(context(footer(view.env, view.region, view.checkedAt, view.tookMs), ...view.notes.map(escapeMrkdwn)));
  const text = tone === 'ok' ? `${view.env} is healthy` : `${view.env}: ${reasons.join('; ')}`;
  return { text, tone, blocks };
}
