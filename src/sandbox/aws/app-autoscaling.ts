// Application Auto Scaling (AWS JSON 1.1, X-Amz-Target AnyScaleFrontendService.*) for the fleet's ECS service:
// one scalable target, a CPU target-tracking policy, and the activities a new range causes.
import { randomUUID } from 'node:crypto';
import { AwsFault, type Input } from './protocol.js';
import type { Fleet } from './fleet.js';
import type { Handler } from './beanstalk-settings.js';
import { ecs } from './ecs.js';

const DIMENSION = 'ecs:service:DesiredCount';

interface Activity {
  id: string;
  description: string;
  cause: string;
  at: Date;
}
interface ScalingState {
  min: number;
  max: number;
  created: Date;
  activities: Activity[];
}

/** The demo starts off the SoleMate guide (min 1 / max 4, no memory policy, 1-minute scale-in), so the audit has something to say. */
const states = new WeakMap<Fleet, ScalingState>();
function state(f: Fleet): ScalingState {
  let s = states.get(f);
  if (!s) {
    const at = new Date(f.startedAt - 7 * 86_400_000);
    s = {
      min: 1,
      max: 4,
      created: at,
      activities: [
        {
          id: randomUUID(),
          description: 'Setting desired count to 2.',
          cause: `monitor alarm TargetTracking-${resourceId(f)}-AlarmHigh in state ALARM triggered policy cpu-target-tracking`,
          at: new Date(f.startedAt - 3_600_000),
        },
      ],
    };
    states.set(f, s);
  }
  return s;
}

const resourceId = (f: Fleet) => `service/${f.names.cluster}/${f.names.service}`;

/** Only the fleet's ECS service is scalable; other namespaces, resources and dimensions are not found. */
function matches(f: Fleet, input: Input): boolean {
  if (input.ServiceNamespace !== 'ecs')
    throw new AwsFault('ValidationException', 'The sandbox simulates the ecs service namespace only.');
  if (input.ScalableDimension !== undefined && input.ScalableDimension !== DIMENSION) return false;
  const ids: string[] = input.ResourceIds ?? (input.ResourceId !== undefined ? [input.ResourceId] : []);
  return ids.length === 0 || ids.includes(resourceId(f));
}

const base = (f: Fleet) => ({ ServiceNamespace: 'ecs', ResourceId: resourceId(f), ScalableDimension: DIMENSION });

export const appAutoScaling: Record<string, Handler> = {
  DescribeScalableTargets: (input, f) => {
    if (!matches(f, input)) return { ScalableTargets: [] };
    const s = state(f);
    return {
      ScalableTargets: [
        {
          ...base(f),
          MinCapacity: s.min,
          MaxCapacity: s.max,
          RoleARN: `arn:aws:iam::${f.names.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
          CreationTime: s.created,
          SuspendedState: {
            DynamicScalingInSuspended: false,
            DynamicScalingOutSuspended: false,
            ScheduledScalingSuspended: false,
          },
          ScalableTargetARN: `arn:aws:application-autoscaling:${f.names.region}:${f.names.account}:scalable-target/0ec5${f.names.service.length}`,
        },
      ],
    };
  },
  DescribeScalingPolicies: (input, f) => {
    if (!matches(f, input)) return { ScalingPolicies: [] };
    const name = 'cpu-target-tracking';
    return {
      ScalingPolicies: [
        {
          ...base(f),
          PolicyARN: `arn:aws:autoscaling:${f.names.region}:${f.names.account}:scalingPolicy:6d8972f3:resource/ecs/${resourceId(f)}:policyName/${name}`,
          PolicyName: name,
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 70,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
            ScaleOutCooldown: 300,
            ScaleInCooldown: 60,
          },
          Alarms: [],
          CreationTime: state(f).created,
        },
      ],
    };
  },
  DescribeScalingActivities: (input, f) => {
    if (!matches(f, input)) return { ScalingActivities: [] };
    const max = Number(input.MaxResults ?? 50);
    return {
      ScalingActivities: [...state(f).activities]
        .sort((a, b) => b.at.getTime() - a.at.getTime())
        .slice(0, max)
        .map((a) => ({
          ...base(f),
          ActivityId: a.id,
          Description: a.description,
          Cause: a.cause,
          StartTime: a.at,
          EndTime: a.at,
          StatusCode: 'Successful',
          StatusMessage: 'Successfully set desired count. Change successfully fulfilled by ecs.',
        })),
    };
  },
  // Sets the range; a desired count outside it is moved inside, through the ECS service, as AWS does.
  RegisterScalableTarget: (input, f) => {
    if (!matches(f, input) || input.ResourceId === undefined)
      throw new AwsFault('ValidationException', `Unsupported resource ${String(input.ResourceId)}.`);
    const s = state(f);
    const min = input.MinCapacity === undefined ? s.min : Number(input.MinCapacity);
    const max = input.MaxCapacity === undefined ? s.max : Number(input.MaxCapacity);
    if (min > max) throw new AwsFault('ValidationException', `Maximum capacity cannot be less than minimum capacity`);
    s.min = min;
    s.max = max;
    const desired = f.ecs.desired;
    const inside = Math.min(max, Math.max(min, desired));
    if (inside !== desired) {
      s.activities.push({
        id: randomUUID(),
        description: `Setting desired count to ${inside}.`,
        cause: `minimum capacity was set to ${min}` + (inside < desired ? ` and maximum to ${max}` : ''),
        at: new Date(f.now()),
      });
      ecs.UpdateService({ cluster: f.names.cluster, service: f.names.service, desiredCount: inside }, f);
    }
    return {
      ScalableTargetARN: `arn:aws:application-autoscaling:${f.names.region}:${f.names.account}:scalable-target/0ec5`,
    };
  },
};
