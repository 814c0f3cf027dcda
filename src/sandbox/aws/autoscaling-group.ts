// Auto Scaling (Query protocol): the Beanstalk environment's group in the simulated fleet.
import { AwsFault, list, num } from './protocol.js';
import { shortId, type Fleet } from './fleet.js';
import type { Handler } from './beanstalk-settings.js';

export function setCapacity(fleet: Fleet, min: number | undefined, max: number | undefined, desired?: number): void {
  const asg = fleet.eb.asg;
  if (min !== undefined) asg.min = min;
  if (max !== undefined) asg.max = max;
  if (asg.min > asg.max)
    throw new AwsFault(
      'ValidationError',
      `Desired capacity:${asg.min} must be between the specified min size:${asg.min} and max size:${asg.max}`,
    );
  const target = Math.min(asg.max, Math.max(asg.min, desired ?? asg.desired));
  asg.desired = target;
  // One instance every few seconds, like a real scaling activity.
  fleet.every(3000, () => {
    if (asg.instances.length < asg.desired) {
      const id = `i-0${shortId(16)}`;
      asg.instances.push(id);
      fleet.ebEvent(`Added instance [${id}] to your environment.`);
    } else if (asg.instances.length > asg.desired) {
      const id = asg.instances.pop()!;
      fleet.ebEvent(`Removed instance [${id}] from your environment.`);
    }
    return asg.instances.length === asg.desired;
  });
}

function describeGroup(fleet: Fleet) {
  const asg = fleet.eb.asg;
  return {
    AutoScalingGroupName: asg.name,
    AutoScalingGroupARN: `arn:aws:autoscaling:${fleet.names.region}:${fleet.names.account}:autoScalingGroup:${shortId(8)}:autoScalingGroupName/${asg.name}`,
    MinSize: asg.min,
    MaxSize: asg.max,
    DesiredCapacity: asg.desired,
    DefaultCooldown: 360,
    AvailabilityZones: [`${fleet.names.region}a`, `${fleet.names.region}b`],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 0,
    CreatedTime: fleet.eb.created,
    Instances: asg.instances.map((InstanceId, i) => ({
      InstanceId,
      InstanceType: 't3.small',
      AvailabilityZone: `${fleet.names.region}${i % 2 ? 'b' : 'a'}`,
      LifecycleState: 'InService',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
    })),
  };
}

function requireGroup(fleet: Fleet, name: unknown): void {
  if (name !== fleet.eb.asg.name)
    throw new AwsFault(
      'ValidationError',
      `AutoScalingGroup name not found - AutoScalingGroup ${String(name)} not found`,
    );
}

export const autoscaling: Record<string, Handler> = {
  DescribeAutoScalingGroups: (input, fleet) => {
    const names = list<string>(input.AutoScalingGroupNames);
    return { AutoScalingGroups: names.length === 0 || names.includes(fleet.eb.asg.name) ? [describeGroup(fleet)] : [] };
  },
  SetDesiredCapacity: (input, fleet) => {
    requireGroup(fleet, input.AutoScalingGroupName);
    const desired = num(input.DesiredCapacity) ?? fleet.eb.asg.desired;
    const { min, max } = fleet.eb.asg;
    if (desired < min)
      throw new AwsFault(
        'ValidationError',
        `New SetDesiredCapacity value ${desired} is below min value ${min} for the AutoScalingGroup.`,
      );
    if (desired > max)
      throw new AwsFault(
        'ValidationError',
        `New SetDesiredCapacity value ${desired} is above max value ${max} for the AutoScalingGroup.`,
      );
    setCapacity(fleet, undefined, undefined, desired);
    return undefined;
  },
  UpdateAutoScalingGroup: (input, fleet) => {
    requireGroup(fleet, input.AutoScalingGroupName);
    setCapacity(fleet, num(input.MinSize), num(input.MaxSize), num(input.DesiredCapacity));
    return undefined;
  },
  DescribeScalingActivities: (_input, fleet) => ({
    Activities: fleet.eb.events
      .filter((e) => /instance/i.test(e.message))
      .slice(0, 10)
      .map((e) => ({
        ActivityId: shortId(8),
        AutoScalingGroupName: fleet.eb.asg.name,
        Description: e.message,
        Cause: 'At ' + e.date.toISOString() + ' a user request update of AutoScalingGroup constraints.',
        StartTime: e.date,
        EndTime: e.date,
        StatusCode: 'Successful',
        Progress: 100,
      })),
  }),
};
