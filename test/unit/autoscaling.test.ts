import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentResourcesCommand,
  DescribeEnvironmentsCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { autoscaling, autoscalingJob } from '../../commands/autoscaling.js';
import { isJobRequest } from '../../src/core/command.js';
import type { Reply } from '../../src/core/reply.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { AWS_CONFIG, awsContext } from '../support/aws-context.js';
import { fakeServices } from '../support/services.js';
import { cpuPolicyOnly, ebScaling, recentActivities, scalableTarget } from '../fixtures/aws/autoscaling.js';
import { environmentResources, healthyEnvironment } from '../fixtures/aws/beanstalk.js';
import { steadyService } from '../fixtures/aws/ecs.js';

const aws = mockAws();
const asg = mockClient(AutoScalingClient);
afterEach(() => {
  aws.reset();
  asg.reset();
});
afterAll(() => {
  aws.restore();
  asg.restore();
});

type Args = { service?: string; min?: string; max?: string };
const ctx = (env: string) => awsContext(autoscaling, env);
const ask = async (env: string, a: Args = {}) => {
  const c = ctx(env);
  return autoscaling.execute(c, await autoscaling.plan(c, a));
};
const runJob = (data: unknown) =>
  autoscalingJob.run(
    {
      jobId: '1',
      config: parseConfig(AWS_CONFIG, {}).config,
      log: createLogger('silent'),
      services: fakeServices({ aws: new AwsClientFactory() }),
      signal: new AbortController().signal,
      progress: async () => undefined,
    },
    data as never,
  );

/** An ECS service whose scalable target takes RegisterScalableTarget's range and whose desired count is 2. */
function ecsWorld(min: number, max: number) {
  let range = { min, max };
  aws.aas.on(DescribeScalableTargetsCommand).callsFake(() => scalableTarget(range.min, range.max));
  aws.aas.on(RegisterScalableTargetCommand).callsFake((input: { MinCapacity: number; MaxCapacity: number }) => {
    range = { min: input.MinCapacity, max: input.MaxCapacity };
    return {};
  });
  aws.aas.on(DescribeScalingPoliciesCommand).resolves(cpuPolicyOnly);
  aws.aas.on(DescribeScalingActivitiesCommand).resolves(recentActivities);
  aws.ecs.on(DescribeServicesCommand).resolves(steadyService);
}

describe('/ops autoscaling on ECS', () => {
  it('compares target and policies with the SoleMate guide and lists recent activity', async () => {
    ecsWorld(1, 5);
    const reply = (await ask('staging')) as Reply;
    const text = renderReplyAsText(reply);
    expect(reply.tone).toBe('warning');
    expect(reply.text).toContain(
      'staging: auto scaling differs from the guides — expertconnect-prod-backend: min tasks, max tasks, memory target',
    );
    expect(text).toMatch(/min tasks\s+1\s+2\s+≠ differs/);
    expect(text).toMatch(/max tasks\s+5\s+20\s+≠ differs/);
    expect(text).toMatch(/CPU target\s+70%\s+70%\s+✓/);
    expect(text).toMatch(/memory target\s+—\s+80%\s+✗ missing/);
    expect(text).toMatch(/scale-out cooldown\s+5 min\s+5 min\s+✓/);
    expect(text).toContain('Failed to set desired count to 5: maximum capacity reached');
    expect(text).toContain('SoleMate Operations Guide');
  });

  it('a service without a scalable target is missing one', async () => {
    aws.aas.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    aws.aas.on(DescribeScalingPoliciesCommand).resolves({ ScalingPolicies: [] });
    aws.aas.on(DescribeScalingActivitiesCommand).resolves({ ScalingActivities: [] });
    const text = renderReplyAsText((await ask('staging')) as Reply);
    expect(text).toMatch(/scalable target\s+not registered\s+min 2 \/ max 20\s+✗ missing/);
  });

  it('--min/--max is gated, frozen with the range seen, and the job registers and follows it', async () => {
    ecsWorld(1, 5);
    const c = ctx('staging');
    const plan = await autoscaling.plan(c, { min: '2', max: '20' });
    expect(autoscaling.needsApproval!(plan)).toBe(true);
    expect(plan.preconditions).toEqual([
      { what: 'expertconnect-prod-cluster/expertconnect-prod-backend min / max', expected: '1 / 5' },
    ]);
    expect(plan.effects[0]).toContain('min / max 1 / 5 → 2 / 20');
    const result = await autoscaling.execute(c, plan);
    if (!isJobRequest(result)) throw new Error('expected a job');
    const done = await runJob(result.job.data);
    expect(done.text).toBe('staging: ECS service expertconnect-prod-backend now scales between 2 and 20');
    expect(aws.aas.commandCalls(RegisterScalableTargetCommand).map((x) => x.args[0].input)).toEqual([
      {
        ServiceNamespace: 'ecs',
        ResourceId: 'service/expertconnect-prod-cluster/expertconnect-prod-backend',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 2,
        MaxCapacity: 20,
      },
    ]);
  });

  it('refuses when the range moved after approval, and a range equal to the current one needs no approver', async () => {
    ecsWorld(1, 5);
    const c = ctx('staging');
    const plan = await autoscaling.plan(c, { min: '2', max: '20' });
    const result = await autoscaling.execute(c, plan);
    if (!isJobRequest(result)) throw new Error('expected a job');
    ecsWorld(3, 6);
    await expect(runJob(result.job.data)).rejects.toThrow('now scales between 3 / 6, not 1 / 5');
    expect(aws.aas).not.toHaveReceivedCommand(RegisterScalableTargetCommand);
    const same = await autoscaling.plan(c, { max: '6' });
    expect(autoscaling.needsApproval!(same)).toBe(false);
    expect(((await autoscaling.execute(c, same)) as Reply).text).toContain('already scales between 3 and 6');
  });

  it('says what to type for a bad range', async () => {
    ecsWorld(1, 5);
    await expect(ask('staging', { min: '10', max: '4' })).rejects.toThrow('The minimum (10) is above the maximum (4).');
    await expect(ask('staging', { min: 'two' })).rejects.toThrow('`--min two` is not a count');
    await expect(ask('staging', { max: '500' })).rejects.toThrow('more than opsbot sets (100)');
    await expect(ask('staging', { service: 'nope', max: '5' })).rejects.toThrow('has no ECS service `nope`');
  });

  it('names the IAM action when AWS denies it, and retries through throttling', async () => {
    ecsWorld(1, 5);
    aws.aas
      .on(DescribeScalingPoliciesCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolves(cpuPolicyOnly);
    const reply = (await ask('staging')) as Reply;
    expect(renderReplyAsText(reply)).toContain(
      'Application Auto Scaling DescribeScalingPolicies was throttled; retried 1×',
    );
    aws.aas.on(DescribeScalableTargetsCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    const denied = renderReplyAsText((await ask('staging')) as Reply);
    expect(denied).toContain("opsbot's IAM role lacks application-autoscaling:DescribeScalableTargets");
    aws.aas.on(RegisterScalableTargetCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    aws.aas.on(DescribeScalableTargetsCommand).resolves(scalableTarget(1, 5));
    await expect(
      runJob({
        env: 'staging',
        target: { kind: 'ecs', cluster: 'expertconnect-prod-cluster', service: 'expertconnect-prod-backend' },
        from: { min: 1, max: 5 },
        min: 2,
        max: 20,
      }),
    ).rejects.toThrow('lacks `application-autoscaling:RegisterScalableTarget`');
  });
});

describe('/ops autoscaling on Elastic Beanstalk', () => {
  function ebWorld(min: number, max: number) {
    let range = { min, max };
    aws.eb.on(DescribeConfigurationSettingsCommand).callsFake(() => ebScaling(range.min, range.max));
    aws.eb.on(DescribeEnvironmentResourcesCommand).resolves(environmentResources);
    aws.eb.on(DescribeEnvironmentsCommand).resolves(healthyEnvironment);
    aws.eb
      .on(UpdateEnvironmentCommand)
      .callsFake((input: { OptionSettings: { OptionName: string; Value: string }[] }) => {
        const get = (n: string) => Number(input.OptionSettings.find((o) => o.OptionName === n)!.Value);
        range = { min: get('MinSize'), max: get('MaxSize') };
        return {};
      });
    asg.on(DescribeAutoScalingGroupsCommand).callsFake(() => ({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'awseb-e-rpqsewtp2j-stack-AWSEBAutoScalingGroup-QSB2ZO88SXZT',
          MinSize: range.min,
          MaxSize: range.max,
          DesiredCapacity: 2,
          DefaultCooldown: 360,
          AvailabilityZones: ['us-east-1a', 'us-east-1b'],
          HealthCheckType: 'EC2',
          CreatedTime: new Date('2026-10-01T12:00:00Z'),
          Instances: [
            {
              InstanceId: 'i-0c91c786',
              LifecycleState: 'InService',
              HealthStatus: 'Healthy',
              AvailabilityZone: 'us-east-1a',
              ProtectedFromScaleIn: false,
            },
            {
              InstanceId: 'i-0d3a1b2c',
              LifecycleState: 'InService',
              HealthStatus: 'Healthy',
              AvailabilityZone: 'us-east-1b',
              ProtectedFromScaleIn: false,
            },
          ],
        },
      ],
    }));
  }

  it("compares the environment's settings and trigger with the guides and shows the live group", async () => {
    ebWorld(1, 4);
    const reply = (await ask('prod')) as Reply;
    const text = renderReplyAsText(reply);
    expect(reply.tone).toBe('warning');
    expect(text).toMatch(/min instances\s+1\s+2\s+≠ differs/);
    expect(text).toMatch(/trigger metric\s+NetworkOut\s+CPUUtilization\s+≠ differs/);
    expect(text).toMatch(/cooldown\s+6 min\s+5 min\s+≠ differs/);
    expect(text).toContain('min 1 / max 4, desired 2, 2 in service');
  });

  it('sets min/max through the option settings and follows until Ready with the new range', async () => {
    ebWorld(1, 4);
    const c = ctx('prod');
    const plan = await autoscaling.plan(c, { min: '2', max: '20' });
    expect(plan.effects[0]).toContain('UpdateEnvironment aws:autoscaling:asg MinSize/MaxSize');
    const result = await autoscaling.execute(c, plan);
    if (!isJobRequest(result)) throw new Error('expected a job');
    const done = await runJob(result.job.data);
    expect(done.text).toBe('prod: Elastic Beanstalk expo-project-prod-env now scales between 2 and 20');
    expect(aws.eb.commandCalls(UpdateEnvironmentCommand)[0].args[0].input).toEqual({
      EnvironmentName: 'expo-project-prod-env',
      OptionSettings: [
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
        { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '20' },
      ],
    });
  });
});
