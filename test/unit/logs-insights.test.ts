import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { logsInsights, logsInsightsJob } from '../../commands/logs-insights.js';
import { isJobRequest } from '../../src/core/command.js';
import type { JobContext } from '../../src/core/job.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { awsContext, NOW } from '../support/aws-context.js';
import { fakeServices } from '../support/services.js';
import { waitUntil } from '../support/wait.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const CONFIG = `
environments:
  prod:
    region: us-east-1
    logs:
      groups: ["/ecs/production/application"]
      queries: { slow: "filter duration > 1000 | limit 20" }
`;
const ctx = (text: string) => awsContext(logsInsights, 'prod', { configYaml: CONFIG, text });

function jobContext(signal = new AbortController().signal): JobContext & { notes: string[] } {
  const notes: string[] = [];
  return {
    jobId: '1',
    config: parseConfig(CONFIG, {}).config,
    log: createLogger('silent'),
    services: fakeServices({ aws: new AwsClientFactory() }),
    signal,
    notes,
    progress: async (_p, note) => void notes.push(note ?? ''),
  };
}

async function request(text: string, query: string, since = 3_600_000) {
  const result = await logsInsights.run(ctx(text), { query, since });
  if (!isJobRequest(result)) throw new Error('expected a job');
  return result.job;
}

describe('/ops logs insights', () => {
  it('runs the SoleMate guide’s saved errors query over the window and shows the rows as a table', async () => {
    const job = await request('logs insights errors', 'errors');
    expect(job.title).toBe('Logs Insights errors on prod (last 1h)');
    aws.logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    aws.logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({
        status: 'Running',
        results: [],
        statistics: { recordsScanned: 1200, bytesScanned: 1e5, recordsMatched: 1 },
      })
      .resolves({
        status: 'Complete',
        statistics: { recordsScanned: 5000, bytesScanned: 4e5, recordsMatched: 2 },
        results: [
          [
            { field: '@timestamp', value: '2026-11-23 08:55:12.000' },
            { field: '@message', value: 'ERROR connect ECONNREFUSED 10.0.3.12:5432' },
            { field: '@logStream', value: 'ecs/backend/1' },
            { field: '@ptr', value: 'CmAKJwoj' },
          ],
        ],
      });
    const j = jobContext();
    const reply = await logsInsightsJob.run(j, job.data as never);
    const start = aws.logs.commandCalls(StartQueryCommand)[0].args[0].input;
    expect(start.logGroupNames).toEqual(['/ecs/production/application']);
    expect(start.queryString).toContain('filter @message like /ERROR/');
    expect(start.endTime! - start.startTime!).toBe(3600);
    expect(start.endTime).toBe(NOW.getTime() / 1000);
    expect(j.notes.some((n) => n.includes('Running · 1,200 records scanned'))).toBe(true);
    const text = renderReplyAsText(reply);
    expect(reply.text).toBe('prod: `errors` matched 1 row in the last 1h');
    expect(text).toMatch(/@timestamp\s+@logStream\s+@message/);
    expect(text).toContain('ERROR connect ECONNREFUSED 10.0.3.12:5432');
    expect(text).not.toContain('@ptr');
    expect(reply.files?.[0].filename).toBe('insights-prod-errors.csv');
  });

  it('takes a query in quotes as typed, and a saved query from ops.yml', async () => {
    const typed = await request(`logs insights "filter @message like 'timeout' | limit 5"`, 'filter');
    expect(typed.data.query).toBe("filter @message like 'timeout' | limit 5");
    expect((await request('logs insights slow', 'slow')).data.query).toBe('filter duration > 1000 | limit 20');
    await expect(logsInsights.run(ctx('logs insights nope'), { query: 'nope', since: 3_600_000 })).rejects.toThrow(
      'neither a saved query',
    );
  });

  it('stops the query when the job is cancelled', async () => {
    const job = await request('logs insights security', 'security');
    aws.logs.on(StartQueryCommand).resolves({ queryId: 'q-2' });
    aws.logs.on(GetQueryResultsCommand).resolves({ status: 'Running', results: [] });
    aws.logs.on(StopQueryCommand).resolves({ success: true });
    const controller = new AbortController();
    const j = jobContext(controller.signal);
    const running = logsInsightsJob.run(j, job.data as never);
    await waitUntil('the query is polled', () => aws.logs.commandCalls(GetQueryResultsCommand).length > 0, {
      timeoutMs: 3000,
    });
    controller.abort(new Error('cancelled by U0ALICE'));
    await expect(running).rejects.toThrow('cancelled by U0ALICE');
    expect(aws.logs.commandCalls(StopQueryCommand).map((c) => c.args[0].input)).toEqual([{ queryId: 'q-2' }]);
  });

  it('names the IAM action when StartQuery is denied', async () => {
    const job = await request('logs insights errors', 'errors');
    aws.logs
      .on(StartQueryCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform logs:StartQuery'));
    await expect(logsInsightsJob.run(jobContext(), job.data as never)).rejects.toThrow('lacks `logs:StartQuery`');
  });
});
