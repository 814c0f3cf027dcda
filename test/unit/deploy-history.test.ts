import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DescribeApplicationVersionsCommand, DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { deployHistory } from '../../commands/deploy/history.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { previousEbVersion, previousRevision } from '../../src/aws/rollback-target.js';
import { UserError } from '../../src/errors.js';
import type { Reply } from '../../src/core/reply.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { awsContext } from '../support/aws-context.js';
import { applicationVersions, degradedEnvironment } from '../fixtures/aws/beanstalk.js';
import { failingDeployment, steadyService, taskDefinition, taskDefinitionList } from '../fixtures/aws/ecs.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const run = (env: string) => deployHistory.run(awsContext(deployHistory, env), {}) as Promise<Reply>;

describe('/ops deploy history', () => {
  it('lists Beanstalk versions newest first, marks the live one and the rollback target', async () => {
    aws.eb.on(DescribeEnvironmentsCommand).resolves(degradedEnvironment);
    aws.eb.on(DescribeApplicationVersionsCommand).resolves(applicationVersions);
    const text = renderReplyAsText(await run('prod'));
    expect(text.split('\n')[0]).toContain('live app-v42-251123_0850; a rollback would go back to app-v41-251120_1400');
    const lines = text.split('\n');
    const idx = (s: string) => lines.findIndex((l, i) => i > 0 && l.includes(s));
    expect(idx('app-v43')).toBeLessThan(idx('app-v42'));
    expect(lines[idx('app-v42')]).toContain('▶ live');
    expect(lines[idx('app-v41')]).toContain('rollback target');
    expect(lines[idx('app-v41')]).toContain('Fix invoice totals');
  });

  it('shows ECS revisions, which one each service runs, an unfinished rollout and the rollback target', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves(failingDeployment);
    aws.ecs.on(ListTaskDefinitionsCommand).resolves(taskDefinitionList);
    for (const rev of [6, 7, 8])
      aws.ecs
        .on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinition(rev).taskDefinition!.taskDefinitionArn })
        .resolves(taskDefinition(rev));
    const reply = await run('staging');
    expect(aws.ecs).toHaveReceivedCommandWith(ListTaskDefinitionsCommand, {
      familyPrefix: 'expertconnect-prod-backend',
      sort: 'DESC',
    });
    const text = renderReplyAsText(reply);
    expect(text.split('\n')[0]).toContain(
      'expertconnect-prod-backend runs expertconnect-prod-backend:8; a rollback would go back to expertconnect-prod-backend:7',
    );
    expect(text).toMatch(
      /▶ running \(expertconnect-prod-backend\)\s+expertconnect-prod-backend:8\s+.* ago\s+.*backend:v8/,
    );
    expect(text).toMatch(/rollback target\s+expertconnect-prod-backend:7/);
    expect(text).not.toContain('worker:3');
    expect(text).toContain(
      'deployment of expertconnect-prod-backend:8 :x: failed; tasks of the earlier revision may still be serving',
    );
    expect(reply.tone).toBe('warning');
  });

  it('keeps the revisions it could list when describing them fails, and flags missing services', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves(steadyService);
    aws.ecs.on(ListTaskDefinitionsCommand).resolves(taskDefinitionList);
    aws.ecs.on(DescribeTaskDefinitionCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    const text = renderReplyAsText(await run('staging'));
    expect(text).toContain('rollback would go back to expertconnect-prod-backend:6');
    expect(text).toContain('expertconnect-prod-worker not found in cluster');
  });

  it('reports a failed part without failing the whole reply', async () => {
    aws.eb.on(DescribeEnvironmentsCommand).resolves(degradedEnvironment);
    aws.eb
      .on(DescribeApplicationVersionsCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: elasticbeanstalk:DescribeApplicationVersions'));
    const text = renderReplyAsText(await run('prod'));
    expect(text).toContain('could not check — AWS denied Elastic Beanstalk DescribeApplicationVersions');
  });

  it('says which ops.yml field is missing', async () => {
    const err = await run('bare').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.hint).toContain('`beanstalk: { application, environment }` or `ecs: { cluster, services: [...] }`');
  });

  it('picks the rollback target the way /ops rollback will', () => {
    const v = (label: string, day: number) => ({ label, createdAt: new Date(Date.UTC(2026, 10, day)) });
    expect(previousEbVersion([v('c', 3), v('b', 2), v('a', 1)], 'b')?.label).toBe('a');
    expect(previousEbVersion([v('c', 3), v('b', 2)], 'b')).toBeUndefined();
    expect(previousEbVersion([v('c', 3)], 'zzz')).toBeUndefined();
    expect(previousRevision([{ revision: 8 }, { revision: 5 }, { revision: 7 }], 8)?.revision).toBe(7);
    expect(previousRevision([{ revision: 8 }], 8)).toBeUndefined();
  });
});
