import { AwsError, type AwsSession } from './session.js';
import { beanstalk } from './sdk.js';

export interface EbEnvironment {
  name: string;
  application: string;
  /** Launching, Updating, Ready, Terminating, Terminated… */
  status: string;
  /** Basic health colour: Green, Yellow, Red, Grey. */
  health: string;
  /** Enhanced health: Ok, Info, Warning, Degraded, Severe… (absent with basic health). */
  healthStatus?: string;
  versionLabel?: string;
  cname?: string;
  platform?: string;
  updatedAt?: Date;
}

export interface EbHealth {
  color?: string;
  healthStatus?: string;
  causes: string[];
  instances: Record<string, number>;
  requestCount?: number;
  durationSeconds?: number;
  statusCodes?: { s2xx: number; s3xx: number; s4xx: number; s5xx: number };
  latencyP99Ms?: number;
  refreshedAt?: Date;
}

export interface EbEvent {
  at?: Date;
  severity: string;
  message: string;
  versionLabel?: string;
}

export interface EbVersion {
  label: string;
  description?: string;
  createdAt?: Date;
  status?: string;
  source?: string;
}

export interface EbResources {
  autoScalingGroups: string[];
  loadBalancers: string[];
  instances: string[];
}

export async function describeEbEnvironment(
  s: AwsSession,
  application: string,
  environment: string,
): Promise<EbEnvironment> {
  const out = await s.call('elasticbeanstalk:DescribeEnvironments', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.DescribeEnvironmentsCommand({
        ApplicationName: application,
        EnvironmentNames: [environment],
        IncludeDeleted: false,
      }),
      { abortSignal },
    ),
  );
  const env = out.Environments?.find((e) => e.EnvironmentName === environment) ?? out.Environments?.[0];
  if (!env) {
    throw new AwsError(
      `Elastic Beanstalk has no environment \`${environment}\` in application \`${application}\`${s.region ? ` (${s.region})` : ''}. Check \`beanstalk.environment\` and \`beanstalk.application\` in ops.yml.`,
      'not-found',
      'elasticbeanstalk:DescribeEnvironments',
    );
  }
  return {
    name: env.EnvironmentName ?? environment,
    application: env.ApplicationName ?? application,
    status: env.Status ?? 'Unknown',
    health: env.Health ?? 'Grey',
    healthStatus: env.HealthStatus,
    versionLabel: env.VersionLabel,
    cname: env.CNAME,
    platform: env.SolutionStackName ?? env.PlatformArn,
    updatedAt: env.DateUpdated,
  };
}

/** `eb health`: needs enhanced health reporting; with basic health AWS answers InvalidRequestException. */
export async function describeEbHealth(s: AwsSession, environment: string): Promise<EbHealth> {
  const out = await s.call('elasticbeanstalk:DescribeEnvironmentHealth', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.DescribeEnvironmentHealthCommand({ EnvironmentName: environment, AttributeNames: ['All'] }),
      { abortSignal },
    ),
  );
  const ih = out.InstancesHealth ?? {};
  const instances: Record<string, number> = {};
  for (const key of ['Ok', 'Info', 'Warning', 'Degraded', 'Severe', 'Pending', 'Unknown', 'NoData'] as const) {
    if (ih[key]) instances[key] = ih[key]!;
  }
  const codes = out.ApplicationMetrics?.StatusCodes;
  const p99 = out.ApplicationMetrics?.Latency?.P99;
  return {
    color: out.Color,
    healthStatus: out.HealthStatus,
    causes: out.Causes ?? [],
    instances,
    requestCount: out.ApplicationMetrics?.RequestCount,
    durationSeconds: out.ApplicationMetrics?.Duration,
    statusCodes: codes
      ? {
          s2xx: codes.Status2xx ?? 0,
          s3xx: codes.Status3xx ?? 0,
          s4xx: codes.Status4xx ?? 0,
          s5xx: codes.Status5xx ?? 0,
        }
      : undefined,
    latencyP99Ms: p99 !== undefined ? Math.round(p99 * 1000) : undefined,
    refreshedAt: out.RefreshedAt,
  };
}

/** `eb events`: newest first, as AWS returns them. */
export async function describeEbEvents(
  s: AwsSession,
  application: string,
  environment: string,
  max = 10,
): Promise<EbEvent[]> {
  const out = await s.call('elasticbeanstalk:DescribeEvents', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.DescribeEventsCommand({
        ApplicationName: application,
        EnvironmentName: environment,
        MaxRecords: max,
      }),
      { abortSignal },
    ),
  );
  // Newest first, whatever order the endpoint answers in (some emulators and the demo answered oldest first).
  return [...(out.Events ?? [])]
    .sort((a, b) => (b.EventDate?.getTime() ?? 0) - (a.EventDate?.getTime() ?? 0))
    .slice(0, max)
    .map((e) => ({
      at: e.EventDate,
      severity: e.Severity ?? 'INFO',
      message: e.Message ?? '',
      versionLabel: e.VersionLabel,
    }));
}

/** Application versions, newest first. */
export async function describeEbVersions(s: AwsSession, application: string, max = 15): Promise<EbVersion[]> {
  const out = await s.call('elasticbeanstalk:DescribeApplicationVersions', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.DescribeApplicationVersionsCommand({ ApplicationName: application, MaxRecords: max }),
      { abortSignal },
    ),
  );
  return (out.ApplicationVersions ?? [])
    .map((v) => ({
      label: v.VersionLabel ?? '?',
      description: v.Description,
      createdAt: v.DateCreated,
      status: v.Status,
      source: v.SourceBundle
        ? `s3://${v.SourceBundle.S3Bucket}/${v.SourceBundle.S3Key}`
        : v.SourceBuildInformation?.SourceLocation,
    }))
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

/** The Auto Scaling group and load balancer behind an environment, for its CloudWatch metrics. */
export async function describeEbResources(s: AwsSession, environment: string): Promise<EbResources> {
  const out = await s.call('elasticbeanstalk:DescribeEnvironmentResources', (abortSignal) =>
    s.clients.beanstalk.send(new beanstalk.DescribeEnvironmentResourcesCommand({ EnvironmentName: environment }), {
      abortSignal,
    }),
  );
  const r = out.EnvironmentResources;
  return {
    autoScalingGroups: (r?.AutoScalingGroups ?? []).map((g) => g.Name ?? '').filter(Boolean),
    loadBalancers: (r?.LoadBalancers ?? []).map((l) => l.Name ?? '').filter(Boolean),
    instances: (r?.Instances ?? []).map((i) => i.Id ?? '').filter(Boolean),
  };
}
