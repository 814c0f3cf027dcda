import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { alarms } from '../../commands/alarms.js';
import { renderAlarms, sortAlarms, alarmConsoleUrl, type AlarmView } from '../../views/alarms.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import type { Reply } from '../../src/core/reply.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { NOW, awsContext } from '../support/aws-context.js';
import { alarmsInSeveralStates, onlyInAlarm } from '../fixtures/aws/cloudwatch.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const run = (env: string, all = false) => alarms.run(awsContext(alarms, env), { all }) as Promise<Reply>;

describe('/ops alarms', () => {
  it('lists alarms in ALARM, most severe and newest first, with reason, age, metric and console link', async () => {
    aws.cw.on(DescribeAlarmsCommand).resolves(onlyInAlarm(alarmsInSeveralStates));
    const reply = await run('prod');
    expect(aws.cw).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      StateValue: 'ALARM',
      AlarmNamePrefix: 'expo-project-prod',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
    expect(reply.tone).toBe('danger');
    expect(JSON.stringify(reply.blocks[0])).toContain('prod: 3 alarms in ALARM');
    const sections = reply.blocks.slice(1, 4).map((b) => JSON.stringify(b));
    // the route in ops.yml makes *-db-* alarms P1, so it comes first; then newest first
    expect(sections[0]).toContain('expo-project-prod-db-cpu-high');
    expect(sections[0]).toContain('P1');
    expect(sections[0]).toContain('in ALARM for *4 minutes*');
    expect(sections[0]).toContain('CPUUtilization (AWS/RDS, Average, 5 min)');
    expect(sections[0]).toContain('&gt; 90 for 2 periods');
    expect(sections[0]).toContain(alarmConsoleUrl('us-east-1', 'expo-project-prod-db-cpu-high'));
    expect(sections[1]).toContain('expo-project-prod-app-down');
    expect(sections[1]).toContain('(composite)');
    expect(sections[1]).toContain('ALARM(\\"expo-project-prod-5xx\\")');
    expect(sections[2]).toContain('expo-project-prod-5xx');
    expect(sections[2]).toContain('metric math: 100*m1/m2');
    expect(sections[2]).toContain('for *2 hours*');
  });

  it('shows every state with --all, counted in the verdict', async () => {
    aws.cw.on(DescribeAlarmsCommand).resolves(alarmsInSeveralStates);
    const reply = await run('prod', true);
    expect(aws.cw).toHaveReceivedCommandWith(DescribeAlarmsCommand, { StateValue: undefined });
    const text = renderReplyAsText(reply);
    expect(text.split('\n')[0]).toContain(
      '5 alarms matching expo-project-prod* — 3 in ALARM · 1 with insufficient data · 1 OK',
    );
    expect(text).toContain('expo-project-prod-latency');
    expect(text).toContain('actions disabled');
    expect(text).toMatch(/OK: expo-project-prod-free-storage-low/);
  });

  it('says so plainly when nothing is in ALARM', async () => {
    aws.cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    const reply = await run('staging');
    expect(reply.tone).toBe('ok');
    expect(renderReplyAsText(reply)).toContain('staging: no CloudWatch alarms in ALARM');
    expect(renderReplyAsText(reply)).toContain('set alarms.prefix in ops.yml');
  });

  it('turns AccessDenied into the IAM action to add', async () => {
    aws.cw
      .on(DescribeAlarmsCommand)
      .rejects(awsError('AccessDenied', 'User is not authorized to perform: cloudwatch:DescribeAlarms'));
    await expect(run('prod')).rejects.toThrow(
      "AWS denied CloudWatch DescribeAlarms: opsbot's IAM role lacks `cloudwatch:DescribeAlarms`",
    );
  });

  it('moves a long list into a file and stays within Slack limits', () => {
    const many: AlarmView[] = Array.from({ length: 80 }, (_, i) => ({
      name: `alarm-${i}`,
      type: 'metric',
      state: 'ALARM',
      reason: 'r'.repeat(600),
      updatedAt: new Date(NOW.getTime() - i * 60_000),
      actionsEnabled: true,
    }));
    const reply = renderAlarms({
      env: 'prod',
      region: 'us-east-1',
      checkedAt: NOW,
      tookMs: 5,
      all: false,
      alarms: many,
      truncated: false,
      notes: [],
    });
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    expect(renderReplyAsText(reply)).toContain('… 68 more not shown');
    expect(reply.files?.[0].filename).toBe('alarms-prod.txt');
    expect(String(reply.files?.[0].content)).toContain('[ALARM] alarm-79');
  });

  it('sorts by state, then severity, then newest', () => {
    const a = (name: string, state: AlarmView['state'], minutesAgo: number, severity?: string): AlarmView => ({
      name,
      state,
      type: 'metric',
      reason: '',
      actionsEnabled: true,
      severity,
      updatedAt: new Date(NOW.getTime() - minutesAgo * 60_000),
    });
    const sorted = sortAlarms([
      a('ok', 'OK', 1),
      a('old', 'ALARM', 50),
      a('new', 'ALARM', 1),
      a('p0', 'ALARM', 90, 'P0'),
      a('nodata', 'INSUFFICIENT_DATA', 1),
    ]);
    expect(sorted.map((x) => x.name)).toEqual(['p0', 'new', 'old', 'nodata', 'ok']);
  });
});
