// The simulated fleet's shapes: the names it answers to (DEMO_NAMES by default) and the state of each
// resource, as fleet.ts keeps it and the service simulators read and change it.

export interface FleetNames {
  region: string;
  account: string;
  application: string;
  environment: string;
  cluster: string;
  service: string;
  dbInstance: string;
  logGroups: string[];
}

export const DEMO_NAMES: FleetNames = {
  region: 'us-east-1',
  account: '123456789012',
  application: 'expo-project',
  environment: 'expo-project-prod-env',
  cluster: 'expertconnect-prod-cluster',
  service: 'expertconnect-prod-backend',
  dbInstance: 'expo-project-prod-db',
  logGroups: ['/aws/elasticbeanstalk/expo-project-prod-env/var/log/web.stdout.log', '/ecs/expertconnect-prod-backend'],
};

export interface EbEvent {
  date: Date;
  severity: string;
  message: string;
  versionLabel?: string;
}
export interface EbVersion {
  label: string;
  description: string;
  created: Date;
}
export interface Asg {
  name: string;
  min: number;
  max: number;
  desired: number;
  instances: string[];
}

export interface EbEnvironmentState {
  id: string;
  status: 'Ready' | 'Updating' | 'Launching';
  health: 'Green' | 'Yellow' | 'Red' | 'Grey';
  healthStatus: string;
  version: string;
  versions: EbVersion[];
  events: EbEvent[];
  asg: Asg;
  loadBalancer: string;
  created: Date;
  updated: Date;
}

export interface EcsDeploymentState {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desired: number;
  running: number;
  pending: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  created: Date;
  updated: Date;
}

export interface EcsTaskState {
  arn: string;
  taskDefinition: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  startedBy: string;
  created: Date;
  started?: Date;
  stopped?: Date;
  stopCode?: string;
  stoppedReason?: string;
  exitCode?: number;
  containerReason?: string;
}

export interface EcsServiceState {
  arn: string;
  family: string;
  revisions: { revision: number; image: string; registered: Date }[];
  taskDefinition: string;
  desired: number;
  deployments: EcsDeploymentState[];
  events: { id: string; created: Date; message: string }[];
  tasks: EcsTaskState[];
  created: Date;
}

export interface RdsInstanceState {
  id: string;
  status: string;
  instanceClass: string;
  engineVersion: string;
  allocatedGb: number;
  created: Date;
  fromSnapshot?: string;
}

export interface RdsSnapshotState {
  id: string;
  instance: string;
  type: 'automated' | 'manual';
  status: 'creating' | 'available' | 'deleting';
  percent: number;
  created: Date;
  allocatedGb: number;
}

export interface RdsEvent {
  date: Date;
  source: string;
  sourceType: string;
  message: string;
  categories: string[];
}

export interface FleetOptions {
  names?: Partial<FleetNames>;
  /** Multiplies every action's duration (tests use a small factor). */
  timeScale?: number;
  now?: () => number;
}
