import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { logsRetention, logsRetentionJob } from '../../commands/logs-retention.js';
import { isJobRequest } from '../../src/core/command.js';
import type { Reply } from '../../src/core/reply.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { awsContext } from '../support/aws-context.js';
import { fakeServices } from '../support/services.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const CONFIG = `
environments:
  prod:
    region: us-east-1
    logs: { groups: ["/ecs/production/application", "/aws/alb/access", "/ecs/production/security"] }
`;
const ctx = (text = 'logs retention') => awsContext(logsRetention, 'prod', { configYaml: CONFIG, text });
/** As the dispatcher does without a gate: planned, then that plan executed. */
const ask = async (c: ReturnType<typeof ctx>, a: { days?: number }) =>
  logsRetention.execute(c, await logsRetention.plan(c, a));

// DescribeLogGroups as documented: retentionInDays is absent when events never expire.
function groups() {
  aws.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/ecs/production/application' }).resolves({
    logGroups: [{ logGroupName: '/ecs/production/application', storedBytes: 52_428_800 }],
  });
  aws.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/alb/access' }).resolves({
    logGroups: [{ logGroupName: '/aws/alb/access', retentionInDays: 7, storedBytes: 1024 }],
  });
  aws.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/ecs/production/security' }).resolves({
    logGroups: [{ logGroupName: '/ecs/production/security', retentionInDays: 30 }],
  });
}

describe('/ops logs retention', () => {
  it('compares each group with the guide’s 7/30/90 days', async () => {
    groups();
    const reply = (await ask(ctx(), {})) as Reply;
    const text = renderReplyAsText(reply);
    expect(reply.tone).toBe('warning');
    expect(reply.text).toContain('2 of 3 log groups off the recommended retention');
    expect(text).toMatch(/\/ecs\/production\/application\s+application\s+never\s+30d\s+50\.0 MB\s+never expires/);
    expect(text).toMatch(/\/aws\/alb\/access\s+access\s+7d\s+7d/);
    expect(text).toMatch(/\/ecs\/production\/security\s+security\s+30d\s+90d .* shorter than recommended/);
  });

  it('setting is gated, plans only the groups that change, and the job puts each', async () => {
    groups();
    const c = ctx('logs retention 30');
    const plan = await logsRetention.plan(c, { days: 30 });
    expect(logsRetention.needsApproval!(plan)).toBe(true);
    expect(logsRetention.needsApproval!(await logsRetention.plan(c, {}))).toBe(false);
    expect(plan.effects[0]).toContain('/ecs/production/application never expires → 30d, /aws/alb/access 7d → 30d');
    expect(plan.preconditions).toEqual([
      { what: '/ecs/production/application keeps (days; null: never expires)', expected: null },
      { what: '/aws/alb/access keeps (days; null: never expires)', expected: 7 },
    ]);
    const result = await logsRetention.execute(c, plan);
    if (!isJobRequest(result)) throw new Error('expected a job');
    expect(result.job.data.changes).toEqual([
      { group: '/ecs/production/application' },
      { group: '/aws/alb/access', from: 7 },
    ]);
    aws.logs.on(PutRetentionPolicyCommand).resolves({});
    const { config } = parseConfig(CONFIG, {});
    const services = fakeServices({ aws: new AwsClientFactory() });
    const done = await logsRetentionJob.run(
      {
        jobId: '1',
        config,
        log: createLogger('silent'),
        services,
        signal: new AbortController().signal,
        progress: async () => undefined,
      },
      result.job.data as never,
    );
    expect(done.text).toBe('prod: 2 log groups now keep 30 days');
    expect(aws.logs.commandCalls(PutRetentionPolicyCommand).map((c) => c.args[0].input)).toEqual([
      { logGroupName: '/ecs/production/application', retentionInDays: 30 },
      { logGroupName: '/aws/alb/access', retentionInDays: 30 },
    ]);
  });

  it('refuses a retention CloudWatch does not offer, and names the IAM action when denied', async () => {
    await expect(ask(ctx(), { days: 31 })).rejects.toThrow('cannot keep logs for 31 days');
    aws.logs.on(DescribeLogGroupsCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(ask(ctx(), {})).rejects.toThrow('lacks `logs:DescribeLogGroups`');
  });
});
