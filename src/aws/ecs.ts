import type { AwsSession } from './session.js';
import { ecs } from './sdk.js';

export interface EcsDeployment {
  id: string;
  /** PRIMARY (newest), ACTIVE (being replaced), INACTIVE. */
  status: string;
  taskDefinition: string;
  desired: number;
  running: number;
  pending: number;
  failedTasks: number;
  /** IN_PROGRESS, COMPLETED, FAILED (absent for old-style deployments). */
  rolloutState?: string;
  rolloutStateReason?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface EcsService {
  name: string;
  status: string;
  desired: number;
  running: number;
  pending: number;
  taskDefinition: string;
  launchType?: string;
  deployments: EcsDeployment[];
  events: { at?: Date; message: string }[];
}

export interface EcsServices {
  services: EcsService[];
  /** Services ECS did not find (reason MISSING and the like). */
  missing: { name: string; reason: string }[];
}

export interface EcsStoppedTask {
  id: string;
  taskDefinition: string;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason?: string;
  containers: { name: string; exitCode?: number; reason?: string }[];
}

export interface EcsTaskDefinition {
  arn: string;
  family: string;
  revision: number;
  registeredAt?: Date;
  images: string[];
  status?: string;
}

/** "arn:aws:ecs:…:task-definition/web:42" → "web:42". */
export function shortTaskDefinition(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

export function parseTaskDefinition(arn: string): { family: string; revision: number } {
  const [family, revision] = shortTaskDefinition(arn).split(':');
  return { family, revision: Number(revision) || 0 };
}

const lastPart = (arn: string) => arn.split('/').pop() ?? arn;

export async function describeEcsServices(
  s: AwsSession,
  cluster: string,
  names: string[],
  eventsPerService = 5,
): Promise<EcsServices> {
  const out = await s.call('ecs:DescribeServices', (abortSignal) =>
    s.clients.ecs.send(new ecs.DescribeServicesCommand({ cluster, services: names }), { abortSignal }),
  );
  const services = (out.services ?? []).map((svc) => ({
    name: svc.serviceName ?? '?',
    status: svc.status ?? 'UNKNOWN',
    desired: svc.desiredCount ?? 0,
    running: svc.runningCount ?? 0,
    pending: svc.pendingCount ?? 0,
    taskDefinition: svc.taskDefinition ?? '',
    launchType: svc.launchType,
    deployments: (svc.deployments ?? []).map((d) => ({
      id: d.id ?? '?',
      status: d.status ?? '?',
      taskDefinition: d.taskDefinition ?? '',
      desired: d.desiredCount ?? 0,
      running: d.runningCount ?? 0,
      pending: d.pendingCount ?? 0,
      failedTasks: d.failedTasks ?? 0,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    })),
    events: (svc.events ?? []).slice(0, eventsPerService).map((e) => ({ at: e.createdAt, message: e.message ?? '' })),
  }));
  const missing = (out.failures ?? []).map((f) => ({ name: lastPart(f.arn ?? '?'), reason: f.reason ?? 'unknown' }));
  return { services, missing };
}

/** Why recent tasks stopped: the first thing to read when a deployment keeps failing. */
export async function recentStoppedTasks(
  s: AwsSession,
  cluster: string,
  service: string,
  max = 3,
): Promise<EcsStoppedTask[]> {
  const listed = await s.call('ecs:ListTasks', (abortSignal) =>
    s.clients.ecs.send(
      new ecs.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: max }),
      { abortSignal },
    ),
  );
  const arns = listed.taskArns ?? [];
  if (arns.length === 0) return [];
  const described = await s.call('ecs:DescribeTasks', (abortSignal) =>
    s.clients.ecs.send(new ecs.DescribeTasksCommand({ cluster, tasks: arns }), { abortSignal }),
  );
  return (described.tasks ?? [])
    .map((t) => ({
      id: lastPart(t.taskArn ?? '?'),
      taskDefinition: shortTaskDefinition(t.taskDefinitionArn ?? ''),
      stoppedAt: t.stoppedAt,
      stopCode: t.stopCode,
      stoppedReason: t.stoppedReason,
      containers: (t.containers ?? []).map((c) => ({ name: c.name ?? '?', exitCode: c.exitCode, reason: c.reason })),
    }))
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
}

/** Revisions of one family, newest first. */
export async function listTaskDefinitionRevisions(s: AwsSession, family: string, max = 10): Promise<string[]> {
  const out = await s.call('ecs:ListTaskDefinitions', (abortSignal) =>
    s.clients.ecs.send(
      new ecs.ListTaskDefinitionsCommand({ familyPrefix: family, sort: 'DESC', maxResults: max, status: 'ACTIVE' }),
      { abortSignal },
    ),
  );
  // familyPrefix matches "web" and "web-worker" alike; keep the exact family.
  return (out.taskDefinitionArns ?? []).filter((arn) => parseTaskDefinition(arn).family === family);
}

export async function describeTaskDefinition(s: AwsSession, arn: string): Promise<EcsTaskDefinition> {
  const out = await s.call('ecs:DescribeTaskDefinition', (abortSignal) =>
    s.clients.ecs.send(new ecs.DescribeTaskDefinitionCommand({ taskDefinition: arn }), { abortSignal }),
  );
  const td = out.taskDefinition;
  const parsed = parseTaskDefinition(td?.taskDefinitionArn ?? arn);
  return {
    arn: td?.taskDefinitionArn ?? arn,
    family: td?.family ?? parsed.family,
    revision: td?.revision ?? parsed.revision,
    registeredAt: td?.registeredAt,
    images: (td?.containerDefinitions ?? []).map((c) => c.image ?? '').filter(Boolean),
    status: td?.status,
  };
}
