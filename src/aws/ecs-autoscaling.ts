import { settle, type AwsSession, type Settled } from './session.js';
import { appAutoScaling } from './sdk.js';

/** An ECS service's desired count as Application Auto Scaling knows it. */
const DIMENSION = 'ecs:service:DesiredCount';
const resourceId = (cluster: string, service: string) => `service/${cluster}/${service}`;

export interface ScalingPolicyView {
  name: string;
  /** TargetTrackingScaling | StepScaling | PredictiveScaling */
  type: string;
  /** Target tracking: ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization, ALBRequestCountPerTarget, or a custom metric's name. */
  metric?: string;
  targetValue?: number;
  scaleOutCooldownSeconds?: number;
  scaleInCooldownSeconds?: number;
  disableScaleIn?: boolean;
}

export interface ScalingActivityView {
  description: string;
  cause?: string;
  /** Pending | InProgress | Successful | Overridden | Unfulfilled | Failed */
  status: string;
  statusMessage?: string;
  startedAt?: Date;
  endedAt?: Date;
}

export interface EcsAutoScalingView {
  service: string;
  /** Absent when the service is not registered with Application Auto Scaling (its desired count never changes by itself). */
  target?: { min: number; max: number; suspended: boolean };
  policies: ScalingPolicyView[];
  /** Newest first; one failed read does not hide the target and policies. */
  activities: Settled<ScalingActivityView[]>;
}

export async function describeScalableTarget(
  s: AwsSession,
  cluster: string,
  service: string,
): Promise<EcsAutoScalingView['target']> {
  const out = await s.call('application-autoscaling:DescribeScalableTargets', (abortSignal) =>
    s.clients.appAutoScaling.send(
      new appAutoScaling.DescribeScalableTargetsCommand({
        ServiceNamespace: 'ecs',
        ResourceIds: [resourceId(cluster, service)],
        ScalableDimension: DIMENSION,
      }),
      { abortSignal },
    ),
  );
  const t = out.ScalableTargets?.[0];
  if (!t) return undefined;
  const st = t.SuspendedState;
  return {
    min: t.MinCapacity ?? 0,
    max: t.MaxCapacity ?? 0,
    suspended: Boolean(
      st?.DynamicScalingInSuspended || st?.DynamicScalingOutSuspended || st?.ScheduledScalingSuspended,
    ),
  };
}

async function describePolicies(s: AwsSession, cluster: string, service: string): Promise<ScalingPolicyView[]> {
  const out = await s.call('application-autoscaling:DescribeScalingPolicies', (abortSignal) =>
    s.clients.appAutoScaling.send(
      new appAutoScaling.DescribeScalingPoliciesCommand({
        ServiceNamespace: 'ecs',
        ResourceId: resourceId(cluster, service),
        ScalableDimension: DIMENSION,
      }),
      { abortSignal },
    ),
  );
  return (out.ScalingPolicies ?? []).map((p) => {
    const tt = p.TargetTrackingScalingPolicyConfiguration;
    const step = p.StepScalingPolicyConfiguration;
    return {
      name: p.PolicyName ?? '?',
      type: p.PolicyType ?? '?',
      metric: tt?.PredefinedMetricSpecification?.PredefinedMetricType ?? tt?.CustomizedMetricSpecification?.MetricName,
      targetValue: tt?.TargetValue,
      scaleOutCooldownSeconds: tt?.ScaleOutCooldown ?? step?.Cooldown,
      scaleInCooldownSeconds: tt?.ScaleInCooldown ?? step?.Cooldown,
      disableScaleIn: tt?.DisableScaleIn,
    };
  });
}

async function describeActivities(s: AwsSession, cluster: string, service: string): Promise<ScalingActivityView[]> {
  const out = await s.call('application-autoscaling:DescribeScalingActivities', (abortSignal) =>
    s.clients.appAutoScaling.send(
      new appAutoScaling.DescribeScalingActivitiesCommand({
        ServiceNamespace: 'ecs',
        ResourceId: resourceId(cluster, service),
        ScalableDimension: DIMENSION,
        MaxResults: 5,
      }),
      { abortSignal },
    ),
  );
  return (out.ScalingActivities ?? []).map((a) => ({
    description: a.Description ?? '',
    cause: a.Cause,
    status: a.StatusCode ?? '?',
    statusMessage: a.StatusMessage,
    startedAt: a.StartTime,
    endedAt: a.EndTime,
  }));
}

/** The service's scalable target, its policies and its five most recent scaling activities, read in parallel. */
export async function describeEcsAutoScaling(
  s: AwsSession,
  cluster: string,
  service: string,
): Promise<EcsAutoScalingView> {
  const [target, policies, activities] = await Promise.all([
    describeScalableTarget(s, cluster, service),
    describePolicies(s, cluster, service),
    settle(describeActivities(s, cluster, service)),
  ]);
  return { service, target, policies, activities };
}

/**
 * Sets the service's min and max task count (RegisterScalableTarget creates the target or updates it); Application
 * Auto Scaling moves a desired count outside the new range inside it.
 */
export async function registerEcsCapacityRange(
  s: AwsSession,
  cluster: string,
  service: string,
  min: number,
  max: number,
): Promise<void> {
  await s.call('application-autoscaling:RegisterScalableTarget', (abortSignal) =>
    s.clients.appAutoScaling.send(
      new appAutoScaling.RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: resourceId(cluster, service),
        ScalableDimension: DIMENSION,
        MinCapacity: min,
        MaxCapacity: max,
      }),
      { abortSignal },
    ),
  );
}
