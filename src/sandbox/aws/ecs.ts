// ECS (AWS JSON 1.1) over the simulated fleet: a rolling deployment starts one
// new task, then stops one old task, every couple of seconds.
import { AwsFault } from './protocol.js';
import { shortId, type EcsDeploymentState, type EcsTaskState, type Fleet } from './fleet.js';
import type { Handler } from './beanstalk.js';

const STEP_MS = 2500;
/** Fleets whose service scheduler loop is running (one loop per fleet). */
const converging = new WeakSet<Fleet>();

function requireCluster(fleet: Fleet, cluster: unknown): void {
  const c = String(cluster ?? 'default');
  if (c !== fleet.names.cluster && !c.endsWith(`/${fleet.names.cluster}`))
    throw new AwsFault('ClusterNotFoundException', 'Cluster not found.');
}

const isService = (fleet: Fleet, name: unknown) => name === fleet.names.service || name === fleet.ecs.arn;

function resolveTaskDefinition(fleet: Fleet, ref: string): string {
  const short = ref.split('/').pop() ?? ref;
  const [family, rev] = short.split(':');
  const s = fleet.ecs;
  const revision = rev ? Number(rev) : Math.max(...s.revisions.map((r) => r.revision));
  if (family !== s.family || !s.revisions.some((r) => r.revision === revision)) {
    throw new AwsFault('ClientException', `Unable to describe task definition.`);
  }
  return fleet.taskDefArn(family, revision);
}

function running(fleet: Fleet, td?: string): EcsTaskState[] {
  return fleet.ecs.tasks.filter((t) => t.desiredStatus === 'RUNNING' && (td === undefined || t.taskDefinition === td));
}

function describeDeployment(d: EcsDeploymentState) {
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    desiredCount: d.desired,
    runningCount: d.running,
    pendingCount: d.pending,
    failedTasks: 0,
    createdAt: d.created,
    updatedAt: d.updated,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

function describeService(fleet: Fleet) {
  const s = fleet.ecs;
  const live = running(fleet);
  return {
    serviceArn: s.arn,
    serviceName: fleet.names.service,
    clusterArn: `arn:aws:ecs:${fleet.names.region}:${fleet.names.account}:cluster/${fleet.names.cluster}`,
    status: 'ACTIVE',
    desiredCount: s.desired,
    runningCount: live.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: live.filter((t) => t.lastStatus === 'PENDING').length,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    taskDefinition: s.taskDefinition,
    deploymentConfiguration: {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    deployments: s.deployments.map(describeDeployment),
    events: s.events.map((e) => ({ id: e.id, createdAt: e.created, message: e.message })),
    createdAt: s.created,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
  };
}

/** Keeps each deployment's counts in step with its tasks (ECS sets a task's startedBy to its deployment id). */
function recount(fleet: Fleet): void {
  for (const d of fleet.ecs.deployments) {
    const tasks = running(fleet).filter((t) => t.startedBy === d.id);
    d.running = tasks.filter((t) => t.lastStatus === 'RUNNING').length;
    d.pending = tasks.filter((t) => t.lastStatus === 'PENDING').length;
    d.updated = new Date(fleet.now());
  }
}

function stopTask(fleet: Fleet, task: EcsTaskState, reason: string): void {
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'STOPPED';
  task.stopped = new Date(fleet.now());
  task.stopCode = 'ServiceSchedulerInitiated';
  task.stoppedReason = reason;
  task.exitCode = 0;
  fleet.ecsEvent(`(service ${fleet.names.service}) has stopped 1 running tasks: (task ${task.arn.split('/').pop()}).`);
}

function startTask(fleet: Fleet, td: string, by: string): void {
  const task = fleet.newTask(td, by);
  fleet.ecs.tasks.push(task);
  fleet.ecsEvent(`(service ${fleet.names.service}) has started 1 tasks: (task ${task.arn.split('/').pop()}).`);
  fleet.after(STEP_MS * 0.6, () => {
    if (task.desiredStatus !== 'RUNNING') return;
    task.lastStatus = 'RUNNING';
    task.started = new Date(fleet.now());
    recount(fleet);
  });
}

/** One scheduler step towards `desired` running tasks of the primary deployment and none of the others. */
function converge(fleet: Fleet): boolean {
  const s = fleet.ecs;
  const primary = s.deployments.find((d) => d.status === 'PRIMARY')!;
  const fresh = running(fleet).filter((t) => t.startedBy === primary.id);
  const old = running(fleet).filter((t) => t.startedBy !== primary.id);
  if (fresh.length < s.desired) startTask(fleet, primary.taskDefinition, primary.id);
  else if (fresh.length > s.desired)
    stopTask(fleet, fresh[fresh.length - 1], `Scaling activity initiated by (deployment ${primary.id})`);
  // Old tasks go only once a new one serves traffic (minimumHealthyPercent 100).
  if (old.length > 0 && (s.desired === 0 || fresh.some((t) => t.lastStatus === 'RUNNING')))
    stopTask(fleet, old[0], `Task stopped by deployment ${primary.id}`);
  recount(fleet);
  const live = running(fleet);
  const done = live.length === s.desired && live.every((t) => t.startedBy === primary.id && t.lastStatus === 'RUNNING');
  if (done) {
    s.deployments = [primary];
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = 'ECS deployment completed.';
    primary.desired = s.desired;
    fleet.ecsEvent(`(service ${fleet.names.service}) has reached a steady state.`);
  }
  return done;
}

export const ecs: Record<string, Handler> = {
  DescribeServices: (input, fleet) => {
    requireCluster(fleet, input.cluster);
    const names: string[] = input.services ?? [];
    const found = names.filter((n) => isService(fleet, n));
    const arnOf = (n: string) =>
      n.startsWith('arn:')
        ? n
        : `arn:aws:ecs:${fleet.names.region}:${fleet.names.account}:service/${fleet.names.cluster}/${n}`;
    return {
      services: found.length ? [describeService(fleet)] : [],
      failures: names.filter((n) => !isService(fleet, n)).map((n) => ({ arn: arnOf(n), reason: 'MISSING' })),
    };
  },
  ListServices: (input, fleet) => {
    requireCluster(fleet, input.cluster);
    return { serviceArns: [fleet.ecs.arn] };
  },
  DescribeClusters: (input, fleet) => ({
    clusters: [
      {
        clusterArn: `arn:aws:ecs:${fleet.names.region}:${fleet.names.account}:cluster/${fleet.names.cluster}`,
        clusterName: fleet.names.cluster,
        status: 'ACTIVE',
        runningTasksCount: running(fleet).length,
        activeServicesCount: 1,
      },
    ],
    failures: (input.clusters ?? [])
      .filter((c: string) => !c.endsWith(fleet.names.cluster))
      .map((arn: string) => ({ arn, reason: 'MISSING' })),
  }),
  ListTasks: (input, fleet) => {
    requireCluster(fleet, input.cluster);
    if (input.serviceName !== undefined && !isService(fleet, input.serviceName))
      throw new AwsFault('ServiceNotFoundException', 'Service not found.');
    const status = input.desiredStatus ?? 'RUNNING';
    const tasks = fleet.ecs.tasks
      .filter((t) => t.desiredStatus === status)
      .sort((a, b) => (b.stopped ?? b.created).getTime() - (a.stopped ?? a.created).getTime());
    return { taskArns: tasks.slice(0, input.maxResults ?? 100).map((t) => t.arn) };
  },
  DescribeTasks: (input, fleet) => {
    requireCluster(fleet, input.cluster);
    const wanted: string[] = input.tasks ?? [];
    const byId = (ref: string) => fleet.ecs.tasks.find((t) => t.arn === ref || t.arn.endsWith(`/${ref}`));
    return {
      tasks: wanted
        .map(byId)
        .filter((t): t is EcsTaskState => Boolean(t))
        .map((t) => ({
          taskArn: t.arn,
          taskDefinitionArn: t.taskDefinition,
          clusterArn: `arn:aws:ecs:${fleet.names.region}:${fleet.names.account}:cluster/${fleet.names.cluster}`,
          lastStatus: t.lastStatus,
          desiredStatus: t.desiredStatus,
          launchType: 'FARGATE',
          startedBy: t.startedBy,
          group: `service:${fleet.names.service}`,
          createdAt: t.created,
          startedAt: t.started,
          stoppedAt: t.stopped,
          stopCode: t.stopCode,
          stoppedReason: t.stoppedReason,
          cpu: '512',
          memory: '1024',
          healthStatus: t.lastStatus === 'RUNNING' ? 'HEALTHY' : 'UNKNOWN',
          containers: [
            {
              name: 'app',
              lastStatus: t.lastStatus,
              exitCode: t.exitCode,
              reason: t.containerReason,
              image: fleet.ecs.revisions.find((r) => t.taskDefinition.endsWith(`:${r.revision}`))?.image,
            },
          ],
        })),
      failures: wanted.filter((w) => !byId(w)).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  },
  ListTaskDefinitions: (input, fleet) => {
    const s = fleet.ecs;
    const prefix: string | undefined = input.familyPrefix;
    const matches = prefix === undefined || s.family.startsWith(prefix);
    const revs = [...s.revisions].sort((a, b) =>
      input.sort === 'DESC' ? b.revision - a.revision : a.revision - b.revision,
    );
    return {
      taskDefinitionArns: matches
        ? revs.slice(0, input.maxResults ?? 100).map((r) => fleet.taskDefArn(s.family, r.revision))
        : [],
    };
  },
  DescribeTaskDefinition: (input, fleet) => {
    const arn = resolveTaskDefinition(fleet, String(input.taskDefinition ?? ''));
    const revision = Number(arn.split(':').pop());
    const rev = fleet.ecs.revisions.find((r) => r.revision === revision)!;
    return {
      taskDefinition: {
        taskDefinitionArn: arn,
        family: fleet.ecs.family,
        revision,
        status: 'ACTIVE',
        registeredAt: rev.registered,
        cpu: '512',
        memory: '1024',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [
          {
            name: 'app',
            image: rev.image,
            essential: true,
            portMappings: [{ containerPort: 3000, protocol: 'tcp' }],
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${fleet.names.service}` } },
          },
        ],
      },
    };
  },
  UpdateService: (input, fleet) => {
    requireCluster(fleet, input.cluster);
    if (!isService(fleet, input.service)) throw new AwsFault('ServiceNotFoundException', 'Service not found.');
    const s = fleet.ecs;
    if (input.desiredCount !== undefined) {
      if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0)
        throw new AwsFault('InvalidParameterException', 'Desired count must be a non-negative integer.');
      s.desired = input.desiredCount;
    }
    const newRevision =
      input.taskDefinition !== undefined ? resolveTaskDefinition(fleet, String(input.taskDefinition)) : undefined;
    const now = new Date(fleet.now());
    if (newRevision !== undefined || input.forceNewDeployment === true) {
      for (const d of s.deployments) d.status = 'ACTIVE';
      const td = newRevision ?? s.taskDefinition;
      s.taskDefinition = td;
      const d: EcsDeploymentState = {
        id: `ecs-svc/${Date.now()}${shortId(3).replace(/\D/g, '1')}`,
        status: 'PRIMARY',
        taskDefinition: td,
        desired: s.desired,
        running: 0,
        pending: 0,
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment ' + 'in progress.',
        created: now,
        updated: now,
      };
      s.deployments.unshift(d);
    } else {
      const primary = s.deployments.find((d) => d.status === 'PRIMARY')!;
      primary.desired = s.desired;
      if (primary.rolloutState === 'COMPLETED') primary.rolloutState = 'IN_PROGRESS';
    }
    if (!converging.has(fleet)) {
      converging.add(fleet);
      fleet.every(STEP_MS, () => {
        const done = converge(fleet);
        if (done) converging.delete(fleet);
        return done;
      });
    }
    return { service: describeService(fleet) };
  },
};
