import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { status } from '../../commands/status.js';
import { renderStatus, type StatusView } from '../../views/status.js';
import { judgeEcsService } from '../../views/status-ecs.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { UserError } from '../../src/errors.js';
import type { Reply } from '../../src/core/reply.js';
import { awsError, hang, mockAws } from '../support/aws-mocks.js';
import { NOW, awsContext } from '../support/aws-context.js';
import {
  degradedEnvironment,
  healthyEnvironment,
  okHealth,
  recentEvents,
  severeHealth,
} from '../fixtures/aws/beanstalk.js';
import { failingDeployment, steadyService, stoppedTasks } from '../fixtures/aws/ecs.js';
import { dbInstance } from '../fixtures/aws/rds.js';
import { series } from '../fixtures/aws/cloudwatch.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const GB = 1024 ** 3;
const text = (r: Reply) => renderReplyAsText(r);
const run = (env: string) => status.run(awsContext(status, env), {}) as Promise<Reply>;

function healthyProd() {
  aws.eb.on(DescribeEnvironmentsCommand).resolves(healthyEnvironment);
  aws.eb.on(DescribeEnvironmentHealthCommand).resolves(okHealth);
  aws.eb.on(DescribeEventsCommand).resolves({ Events: recentEvents.Events!.slice(2) });
  aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance());
  aws.cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [series('free', [41 * GB, 40 * GB], NOW, 5)] });
}

describe('/ops status on Elastic Beanstalk + RDS', () => {
  it('says healthy in one line when all is well', async () => {
    healthyProd();
    const reply = await run('prod');
    expect(reply.tone).toBe('ok');
    expect(reply.text).toBe('prod is healthy');
    expect(text(reply)).toContain('40.0 GB free');
    expect(text(reply)).toContain('100 GB allocated');
    expect(text(reply)).toContain('Instances: 3 ok');
  });

  it('puts a degraded environment first, with its causes and marked events', async () => {
    healthyProd();
    aws.eb.on(DescribeEnvironmentsCommand).resolves(degradedEnvironment);
    aws.eb.on(DescribeEnvironmentHealthCommand).resolves(severeHealth);
    aws.eb.on(DescribeEventsCommand).resolves(recentEvents);
    const reply = await run('prod');
    expect(reply.tone).toBe('danger');
    const first = JSON.stringify(reply.blocks[0]);
    expect(first).toContain('prod is degraded');
    expect(first).toContain('health Red (Severe): 50.0 % of the requests to the ELB are failing with HTTP 5xx');
    const all = text(reply);
    expect(all).toContain('version app-v42-251123_0850');
    expect(all).toContain('Instances: 2 ok, 1 severe');
    expect(all).toContain('90 requests, 45 5xx');
    expect(all).toMatch(/:x: 08:55 Instance deployment failed/);
    expect(all).toMatch(/:warning: 08:58 Environment health has transitioned/);
    expect(aws.eb).toHaveReceivedCommandWith(DescribeEventsCommand, {
      ApplicationName: 'expo-project',
      EnvironmentName: 'expo-project-prod-env',
      MaxRecords: 10,
    });
  });

  it('shows the rest when one call fails, and names the slow one', async () => {
    healthyProd();
    aws.eb
      .on(DescribeEnvironmentHealthCommand)
      .rejects(awsError('InvalidRequestException', 'Enhanced health reporting is not enabled for environment'));
    aws.rds.on(DescribeDBInstancesCommand).callsFake(hang);
    const started = Date.now();
    const reply = (await status.run(awsContext(status, 'prod'), {})) as Reply;
    expect(Date.now() - started).toBeLessThan(5000);
    const all = text(reply);
    expect(all).toContain(
      'Enhanced health unavailable: Elastic Beanstalk DescribeEnvironmentHealth failed: InvalidRequestException',
    );
    expect(all).toContain('RDS expo-project-prod-db: could not check — RDS DescribeDBInstances unreachable after 4s');
    expect(all).toContain('Elastic Beanstalk');
    expect(reply.tone).toBe('warning');
  }, 10_000);

  it('explains AccessDenied by the IAM action to add', async () => {
    healthyProd();
    aws.rds
      .on(DescribeDBInstancesCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:iam::123456789012:user/opsbot is not authorized to perform: rds:DescribeDBInstances',
        ),
      );
    const all = text(await run('prod'));
    expect(all).toContain("AWS denied RDS DescribeDBInstances: opsbot's IAM role lacks rds:DescribeDBInstances");
  });

  it('reports a stopped RDS instance and low free storage as degraded', async () => {
    healthyProd();
    aws.rds.on(DescribeDBInstancesCommand).resolves(dbInstance('storage-full'));
    aws.cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [series('free', [0.5 * GB], NOW)] });
    const reply = await run('prod');
    expect(reply.tone).toBe('danger');
    expect(JSON.stringify(reply.blocks[0])).toContain('RDS expo-project-prod-db is storage-full');
  });
});

describe('/ops status: one health source, events newest first (issue 14, case 2)', () => {
  it('never shows Green beside Red: enhanced health is the one source when it answers', async () => {
    healthyProd();
    aws.eb.on(DescribeEnvironmentsCommand).resolves(healthyEnvironment); // Green (Ok), updated less often
    aws.eb.on(DescribeEnvironmentHealthCommand).resolves(severeHealth); // Red (Severe), the live view
    const reply = await run('prod');
    const all = text(reply);
    expect(reply.tone).toBe('danger');
    expect(all).toContain('health Red (Severe)');
    expect(all).not.toMatch(/health \*?Green/);
  });

  it('sorts events newest first whatever order AWS returns them in', async () => {
    healthyProd();
    const events = [...recentEvents.Events!].sort((a, b) => a.EventDate!.getTime() - b.EventDate!.getTime());
    aws.eb.on(DescribeEventsCommand).resolves({ Events: events });
    const all = text(await run('prod'));
    const section = all.slice(all.indexOf('Recent events')).split('\n\n')[0];
    const shown = [...section.matchAll(/^\S+ (\d\d:\d\d) /gm)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(2);
    expect(shown).toEqual([...shown].sort().reverse());
  });
});

describe('/ops status on ECS', () => {
  it('explains a failing deployment with the stop reasons of its tasks', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves(failingDeployment);
    aws.ecs.on(ListTasksCommand).resolves({ taskArns: stoppedTasks.tasks!.map((t) => t.taskArn!) });
    aws.ecs.on(DescribeTasksCommand).resolves(stoppedTasks);
    const reply = await run('staging');
    expect(reply.tone).toBe('danger');
    expect(JSON.stringify(reply.blocks[0])).toContain(
      'deployment of expertconnect-prod-backend:8 failed — ECS deployment circuit breaker: tasks failed to start.',
    );
    const all = text(reply);
    expect(all).toContain('expertconnect-prod-backend — 1/2 running');
    expect(all).toContain('PRIMARY FAILED expertconnect-prod-backend:8 0/2 running, 4 failed');
    expect(all).toContain('Essential container in task exited — backend exit 1');
    expect(all).toContain('CannotPullContainerError');
    expect(aws.ecs).toHaveReceivedCommandWith(ListTasksCommand, {
      cluster: 'expertconnect-prod-cluster',
      serviceName: 'expertconnect-prod-backend',
      desiredStatus: 'STOPPED',
    });
  });

  it('flags a service ECS does not know', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves(steadyService);
    aws.ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    const reply = await run('staging');
    expect(reply.tone).toBe('danger');
    expect(text(reply)).toContain(
      'expertconnect-prod-worker — not found in cluster expertconnect-prod-cluster (MISSING)',
    );
  });

  it('judges rollouts and partial capacity', () => {
    const svc = {
      name: 'web',
      status: 'ACTIVE',
      desired: 3,
      running: 3,
      pending: 0,
      taskDefinition: 'web:2',
      events: [],
      deployments: [
        {
          status: 'PRIMARY',
          taskDefinition: 'web:2',
          desired: 3,
          running: 3,
          pending: 0,
          failedTasks: 0,
          rolloutState: 'COMPLETED',
        },
      ],
    };
    expect(judgeEcsService(svc).tone).toBe('ok');
    expect(judgeEcsService({ ...svc, running: 2 })).toEqual({
      tone: 'warning',
      reason: 'ECS web: 2 of 3 tasks running',
    });
    expect(judgeEcsService({ ...svc, running: 0 }).tone).toBe('danger');
    expect(
      judgeEcsService({ ...svc, deployments: [{ ...svc.deployments[0], rolloutState: 'IN_PROGRESS' }] }).reason,
    ).toBe('ECS web: deploying web:2');
  });
});

describe('/ops status input', () => {
  it('says which ops.yml fields to add when there is nothing to look at', async () => {
    const err = await status.run(awsContext(status, 'bare'), {}).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.hint).toContain('beanstalk: { application, environment }');
  });

  it('keeps within Slack limits with many services', () => {
    const svc = {
      name: 'x'.repeat(40),
      status: 'ACTIVE',
      desired: 1,
      running: 0,
      pending: 0,
      taskDefinition: 'web:1',
      deployments: [],
      events: Array.from({ length: 5 }, () => ({ message: 'y'.repeat(300) })),
    };
    const view: StatusView = {
      env: 'prod',
      checkedAt: NOW,
      tookMs: 10,
      notes: [],
      ecs: {
        cluster: 'c',
        services: { ok: true, value: { services: Array.from({ length: 30 }, () => svc), missing: [] } },
        stopped: {},
      },
    };
    const reply = renderStatus(view);
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    for (const b of reply.blocks)
      if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    expect(text(reply)).toContain('… 20 more services');
  });
});

describe('event times in /ops status (found by npm run demo:replies)', () => {
  it('an event from another day shows its date, so it never reads like one later today', async () => {
    const { clock } = await import('../../views/aws-common.js');
    const now = new Date('2026-12-02T05:15:00Z');
    expect(clock(new Date('2026-12-02T03:20:00Z'), now)).toBe('03:20');
    expect(clock(new Date('2026-11-30T05:18:00Z'), now)).toBe('30 Nov 05:18');
    expect(clock(undefined, now)).toBe('--:--');
  });
});
