import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import { describeEbResources } from './beanstalk.js';
import { settle, type AwsSession, type Settled } from './session.js';
import { elbv2 } from './sdk.js';

export interface TargetView {
  id: string;
  port?: number;
  zone?: string;
  /** initial | healthy | unhealthy | unused | draining | unavailable */
  state: string;
  /** Target.FailedHealthChecks, Elb.InternalError, Target.ResponseCodeMismatch … */
  reason?: string;
  description?: string;
}

export interface TargetGroupView {
  name: string;
  arn: string;
  protocol?: string;
  port?: number;
  healthCheck?: string;
  /** The group's targets, or why they could not be read (one slow group does not hide the others). */
  targets: Settled<TargetView[]>;
}

/**
 * The ALB of an environment as a full ARN: `loadBalancer` in ops.yml (an ARN, or "app/<name>/<id>" as the
 * metrics use it, looked up by name), else the Beanstalk environment's own load balancer.
 */
export async function loadBalancerArn(s: AwsSession, env: EnvironmentConfig): Promise<string> {
  let ref = env.loadBalancer;
  if (!ref && env.beanstalk) ref = (await describeEbResources(s, env.beanstalk.environment)).loadBalancers[0];
  if (!ref)
    throw new UserError(
      'This environment has no load balancer to read.',
      'Add `loadBalancer: "app/<name>/<id>"` (or its ARN) to the environment in ops.yml, or a `beanstalk` environment with one.',
    );
  if (ref.startsWith('arn:')) return ref;
  const name = /^app\/([^/]+)\//.exec(ref)?.[1] ?? ref;
  const out = await s.call('elasticloadbalancing:DescribeLoadBalancers', (abortSignal) =>
    s.clients.elbv2.send(new elbv2.DescribeLoadBalancersCommand({ Names: [name] }), { abortSignal }),
  );
  const arn = out.LoadBalancers?.[0]?.LoadBalancerArn;
  if (!arn) throw new UserError(`No Application Load Balancer named \`${name}\`${s.region ? ` in ${s.region}` : ''}.`);
  return arn;
}

/** The load balancer's target groups, each with its targets' health (DescribeTargetHealth per group, in parallel). */
export async function describeTargets(s: AwsSession, lbArn: string): Promise<TargetGroupView[]> {
  const out = await s.call('elasticloadbalancing:DescribeTargetGroups', (abortSignal) =>
    s.clients.elbv2.send(new elbv2.DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }), { abortSignal }),
  );
  const groups = out.TargetGroups ?? [];
  return Promise.all(
    groups.map(async (g) => ({
      name: g.TargetGroupName ?? '?',
      arn: g.TargetGroupArn ?? '',
      protocol: g.Protocol,
      port: g.Port,
      healthCheck: g.HealthCheckPath
        ? `${g.HealthCheckProtocol ?? 'HTTP'} ${g.HealthCheckPath}${g.Matcher?.HttpCode ? ` expects ${g.Matcher.HttpCode}` : ''}`
        : undefined,
      targets: await settle(targetHealth(s, g.TargetGroupArn ?? '')),
    })),
  );
}

async function targetHealth(s: AwsSession, groupArn: string): Promise<TargetView[]> {
  const out = await s.call('elasticloadbalancing:DescribeTargetHealth', (abortSignal) =>
    s.clients.elbv2.send(new elbv2.DescribeTargetHealthCommand({ TargetGroupArn: groupArn }), { abortSignal }),
  );
  return (out.TargetHealthDescriptions ?? []).map((d) => ({
    id: d.Target?.Id ?? '?',
    port: d.Target?.Port,
    zone: d.Target?.AvailabilityZone,
    state: d.TargetHealth?.State ?? 'unknown',
    reason: d.TargetHealth?.Reason,
    description: d.TargetHealth?.Description,
  }));
}
