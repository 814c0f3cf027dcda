import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { logs } from '../../commands/logs.js';
import { condenseLine, renderLogs } from '../../views/logs.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { UserError } from '../../src/errors.js';
import type { Reply } from '../../src/core/reply.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { NOW, awsContext } from '../support/aws-context.js';
import { backendEvents, manyEvents } from '../fixtures/aws/logs.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

type Args = { pattern?: string; since: number; errors: boolean };
const run = (env: string, args: Partial<Args> = {}, text = 'logs') =>
  logs.run(awsContext(logs, env, { text }), { since: 15 * 60_000, errors: false, ...args }) as Promise<Reply>;

describe('/ops logs', () => {
  it('reads every group of the environment over the window and shows the newest last', async () => {
    aws.logs
      .on(FilterLogEventsCommand, { logGroupName: '/ecs/expertconnect-prod-backend' })
      .resolves({ events: backendEvents });
    aws.logs.on(FilterLogEventsCommand, { logGroupName: '/ecs/expertconnect-prod-worker' }).resolves({
      events: [
        { timestamp: new Date('2026-11-23T08:52:00Z').getTime(), message: 'worker: job sent-invoice-email done' },
      ],
    });
    const reply = await run('staging', { pattern: 'ECONNREFUSED' }, 'logs staging ECONNREFUSED');
    expect(aws.logs).toHaveReceivedCommandWith(FilterLogEventsCommand, {
      logGroupName: '/ecs/expertconnect-prod-backend',
      filterPattern: 'ECONNREFUSED',
      startTime: NOW.getTime() - 15 * 60_000,
      endTime: NOW.getTime(),
    });
    const text = renderReplyAsText(reply);
    expect(text).toContain('staging: 4 lines matching ECONNREFUSED in the last 15m from 2 log groups');
    const lines = text.split('\n').filter((l) => /^\d\d:\d\d:\d\d/.test(l));
    expect(lines[0]).toContain('08:50:01 [expertconnect-prod-backend] INFO request completed');
    expect(lines[1]).toContain('08:52:00 [expertconnect-prod-worker] worker: job sent-invoice-email done');
    expect(lines.at(-1)).toContain(
      '08:55:13 [expertconnect-prod-backend] Error: connect ECONNREFUSED 10.0.3.12:5432 ⏎ at TCPConnectWrap',
    );
    // a multi-line stack trace is folded; the file has it in full
    expect(String(reply.files?.[0].content)).toContain(
      'Error: connect ECONNREFUSED 10.0.3.12:5432\n    at TCPConnectWrap',
    );
  });

  it('--errors filters on the server with an OR pattern of error words', async () => {
    aws.logs.on(FilterLogEventsCommand).resolves({ events: backendEvents.slice(1) });
    const reply = await run('prod', { errors: true });
    expect(aws.logs).toHaveReceivedCommandWith(FilterLogEventsCommand, {
      filterPattern: expect.stringContaining('?ERROR ?Error ?error'),
    });
    expect(reply.tone).toBe('danger');
    expect(renderReplyAsText(reply)).toContain('prod: 2 error lines in the last 15m');
  });

  it('keeps the quotes of a JSON filter pattern as typed', async () => {
    aws.logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const reply = await run('prod', { pattern: '{ $.level = error }' }, 'logs prod { $.level = “error” } --since 1h');
    expect(aws.logs).toHaveReceivedCommandWith(FilterLogEventsCommand, { filterPattern: '{ $.level = "error" }' });
    expect(renderReplyAsText(reply)).toContain('no lines matching { $.level = "error" }');
  });

  it('trims a long result for Slack and attaches all of it', async () => {
    aws.logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: manyEvents(1000, NOW).slice(0, 600), nextToken: 'p2' })
      .resolves({ events: manyEvents(1000, NOW).slice(600) });
    const reply = await run('prod');
    expect(aws.logs).toHaveReceivedCommandTimes(FilterLogEventsCommand, 2);
    const text = renderReplyAsText(reply);
    expect(text).toContain('prod: 500+ lines');
    expect(text).toContain('line-999');
    expect(text).not.toContain('line-900 ');
    expect(text).toContain('all 500 are in the attached file');
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    for (const b of reply.blocks) if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    expect(String(reply.files?.[0].content).split('\n').filter(Boolean)).toHaveLength(500);
  });

  it('shows the groups that answered when one is missing', async () => {
    aws.logs
      .on(FilterLogEventsCommand, { logGroupName: '/ecs/expertconnect-prod-backend' })
      .resolves({ events: backendEvents });
    aws.logs
      .on(FilterLogEventsCommand, { logGroupName: '/ecs/expertconnect-prod-worker' })
      .rejects(awsError('ResourceNotFoundException', 'The specified log group does not exist.'));
    const text = renderReplyAsText(await run('staging'));
    expect(text).toContain('3 lines');
    expect(text).toContain(
      '/ecs/expertconnect-prod-worker: could not check — log group /ecs/expertconnect-prod-worker does not exist in us-east-1. Check logs.groups in ops.yml.',
    );
  });

  it('explains a bad filter pattern and a missing logs field', async () => {
    aws.logs.on(FilterLogEventsCommand).rejects(awsError('InvalidParameterException', 'Invalid filter pattern'));
    expect(renderReplyAsText(await run('prod', { pattern: '{ $.level = ' }))).toContain(
      'did not accept the filter pattern',
    );
    const err = await run('bare').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.hint).toContain('Add `logs: { groups: [');
    await expect(run('prod', { since: 30 * 86_400_000 })).rejects.toThrow('use between 1m and 7d');
  });

  it('condenses JSON log lines', () => {
    expect(condenseLine('{"level":"warn","msg":"slow query","ms":812}')).toBe('WARN slow query {"ms":812}');
    expect(condenseLine('\u001b[31mplain\u001b[0m text')).toBe('plain text');
    expect(condenseLine('{not json')).toBe('{not json');
  });

  it('says so when nothing matched', () => {
    const reply = renderLogs({
      env: 'prod',
      checkedAt: NOW,
      tookMs: 1,
      windowMs: 900_000,
      groups: ['/g'],
      errorsOnly: true,
      lines: [],
      truncated: false,
      failed: [],
      notes: [],
    });
    expect(reply.tone).toBe('ok');
    expect(reply.text).toBe('prod: no error lines');
  });
});
