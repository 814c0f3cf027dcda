import { context, escapeMrkdwn, section, truncate, type KnownBlock } from './blocks.js';
import { TONE_ICON, ago, clock, failedPartLine, plural, type Finding, type Part } from './aws-common.js';

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

function shortTd(arn: string): string {
  return arn.split('/').pop() ?? arn;
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

export function ecsBlocks(ecs: EcsStatusView, now: Date): KnownBlock[] {
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
