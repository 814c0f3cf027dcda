// The simulated fleet: one Elastic Beanstalk environment (with its Auto Scaling
// group), one ECS service, one RDS instance with snapshots. Actions change this
// state step by step on timers, so a rollback takes seconds like the real one.
// This is a stand-in for AWS itself, so plain memory is the right home for it.
import {
  DEMO_NAMES,
  type EbEnvironmentState,
  type EbVersion,
  type EcsServiceState,
  type EcsTaskState,
  type FleetNames,
  type FleetOptions,
  type RdsEvent,
  type RdsInstanceState,
  type RdsSnapshotState,
} from './fleet-types.js';

export { DEMO_NAMES } from './fleet-types.js';
export type {
  Asg,
  EbEnvironmentState,
  EbEvent,
  EbVersion,
  EcsDeploymentState,
  EcsServiceState,
  EcsTaskState,
  FleetNames,
  FleetOptions,
  RdsEvent,
  RdsInstanceState,
  RdsSnapshotState,
} from './fleet-types.js';

const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
export const shortId = hex;

export class Fleet {
  readonly names: FleetNames;
  readonly startedAt: number;
  readonly timeScale: number;
  readonly now: () => number;
  eb: EbEnvironmentState;
  ecs: EcsServiceState;
  rds = new Map<string, RdsInstanceState>();
  snapshots: RdsSnapshotState[] = [];
  rdsEvents: RdsEvent[] = [];
  private timers = new Set<NodeJS.Timeout>();

  constructor(opts: FleetOptions = {}) {
    this.names = { ...DEMO_NAMES, ...opts.names };
    this.now = opts.now ?? Date.now;
    this.timeScale = opts.timeScale ?? 1;
    this.startedAt = this.now();
    const t = this.startedAt;
    const day = 86_400_000;
    const ago = (ms: number) => new Date(t - ms);
    const n = this.names;

    const versions: EbVersion[] = [
      { label: 'v1.41.0', description: 'Search by speciality', created: ago(9 * day) },
      { label: 'v1.42.0', description: 'Booking reminders by SMS', created: ago(6 * day) },
      { label: 'v1.42.1', description: 'Fix reminder time zones', created: ago(4 * day) },
      { label: 'v1.43.0', description: 'New checkout with payment intents', created: ago(26 * 3_600_000) },
    ];
    this.eb = {
      id: `e-${hex(10)}`,
      status: 'Ready',
      health: 'Green',
      healthStatus: 'Ok',
      version: 'v1.43.0',
      versions,
      events: [
        { date: ago(26 * 3_600_000 - 60_000), severity: 'INFO', message: 'Environment update is starting.' },
        { date: ago(26 * 3_600_000 - 150_000), severity: 'INFO', message: 'Deploying new version to instance(s).' },
        {
          date: ago(26 * 3_600_000 - 400_000),
          severity: 'INFO',
          message: 'New application version was deployed to running EC2 instances.',
          versionLabel: 'v1.43.0',
        },
        {
          date: ago(26 * 3_600_000 - 420_000),
          severity: 'INFO',
          message: 'Environment update completed successfully.',
        },
      ],
      asg: {
        name: `awseb-${this.eb_id()}-AWSEBAutoScalingGroup-${hex(12).toUpperCase()}`,
        min: 2,
        max: 6,
        desired: 2,
        instances: [`i-0${hex(16)}`, `i-0${hex(16)}`],
      },
      loadBalancer: `arn:aws:elasticloadbalancing:${n.region}:${n.account}:loadbalancer/app/awseb-AWSEB-${hex(8)}/${hex(16)}`,
      created: ago(400 * day),
      updated: ago(26 * 3_600_000 - 420_000),
    };

    const family = n.service.replace(/-prod/, '');
    const revisions = [37, 38, 39, 40, 41].map((revision, i) => ({
      revision,
      image: `${n.account}.dkr.ecr.${n.region}.amazonaws.com/${family}:2.${revision - 30}.0`,
      registered: ago((5 - i) * 2 * day),
    }));
    const current = this.taskDefArn(family, 41);
    const deploymentId = `ecs-svc/${Math.floor(this.startedAt / 1000) - 172_800}1234567`;
    this.ecs = {
      arn: `arn:aws:ecs:${n.region}:${n.account}:service/${n.cluster}/${n.service}`,
      family,
      revisions,
      taskDefinition: current,
      desired: 2,
      deployments: [
        {
          id: deploymentId,
          status: 'PRIMARY',
          taskDefinition: current,
          desired: 2,
          running: 2,
          pending: 0,
          rolloutState: 'COMPLETED',
          rolloutStateReason: 'ECS deployment completed.',
          created: ago(2 * day),
          updated: ago(2 * day - 300_000),
        },
      ],
      events: [
        { id: hex(8), created: ago(2 * day - 300_000), message: `(service ${n.service}) has reached a steady state.` },
      ],
      tasks: [],
      created: ago(300 * day),
    };
    this.ecs.tasks.push(
      { ...this.newTask(current, deploymentId), lastStatus: 'RUNNING', started: ago(2 * day) },
      { ...this.newTask(current, deploymentId), lastStatus: 'RUNNING', started: ago(2 * day) },
      {
        ...this.newTask(this.taskDefArn(family, 40), 'ecs-svc/1700000000000000001'),
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        started: ago(3 * day),
        stopped: ago(2 * day - 200_000),
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        exitCode: 137,
        containerReason: 'OutOfMemoryError: Container killed due to memory usage',
      },
    );

    this.rds.set(n.dbInstance, {
      id: n.dbInstance,
      status: 'available',
      instanceClass: 'db.t3.medium',
      engineVersion: '16.4',
      allocatedGb: 100,
      created: ago(400 * day),
    });
    // The seven newest daily 03:00 UTC snapshots, today's included once 03:00 has passed (none missed).
    const newest = Math.floor((t - 3 * 3_600_000) / day) * day + 3 * 3_600_000;
    for (let d = 6; d >= 0; d--) {
      const created = new Date(newest - d * day);
      this.snapshots.push({
        id: `rds:${n.dbInstance}-${created.toISOString().slice(0, 10)}-03-00`,
        instance: n.dbInstance,
        type: 'automated',
        status: 'available',
        percent: 100,
        created,
        allocatedGb: 100,
      });
    }
    this.snapshots.push({
      id: `${n.dbInstance}-before-v1-43`,
      instance: n.dbInstance,
      type: 'manual',
      status: 'available',
      percent: 100,
      created: ago(26 * 3_600_000 + 600_000),
      allocatedGb: 100,
    });
  }

  private eb_id(): string {
    return hex(8);
  }

  taskDefArn(family: string, revision: number): string {
    return `arn:aws:ecs:${this.names.region}:${this.names.account}:task-definition/${family}:${revision}`;
  }

  newTask(taskDefinition: string, startedBy: string): EcsTaskState {
    const n = this.names;
    return {
      arn: `arn:aws:ecs:${n.region}:${n.account}:task/${n.cluster}/${hex(32)}`,
      taskDefinition,
      lastStatus: 'PENDING',
      desiredStatus: 'RUNNING',
      startedBy,
      created: new Date(this.now()),
    };
  }

  /** Runs `step` after `ms` (scaled); timers never keep the process alive. */
  after(ms: number, step: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      step();
    }, ms * this.timeScale);
    timer.unref();
    this.timers.add(timer);
  }

  /** Runs `step` every `ms` until it returns true. */
  every(ms: number, step: () => boolean): void {
    this.after(ms, () => {
      if (!step()) this.every(ms, step);
    });
  }

  ebEvent(message: string, severity = 'INFO', versionLabel?: string): void {
    this.eb.events.unshift({ date: new Date(this.now()), severity, message, versionLabel });
    this.eb.events.length = Math.min(this.eb.events.length, 200);
  }

  ecsEvent(message: string): void {
    this.ecs.events.unshift({ id: hex(8), created: new Date(this.now()), message });
    this.ecs.events.length = Math.min(this.ecs.events.length, 100);
  }

  rdsEvent(source: string, message: string, categories: string[], sourceType = 'db-instance'): void {
    this.rdsEvents.unshift({ date: new Date(this.now()), source, sourceType, message, categories });
  }

  /** GB of the database used, for FreeStorageSpace. */
  storageUsedGb(): number {
    return 58;
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
