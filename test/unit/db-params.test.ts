import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  ModifyDBParameterGroupCommand,
} from '@aws-sdk/client-rds';
import { dbParam } from '../../commands/db/param.js';
import { dbParams } from '../../commands/db/params.js';
import { isJobRequest, type CommandResult } from '../../src/core/command.js';
import type { Reply } from '../../src/core/reply.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import { awsContext } from '../support/aws-context.js';
import { replyText } from '../support/test-app.js';
import {
  described,
  logMinDuration,
  maxConnections,
  parameterPages,
  port,
  workMem,
} from '../fixtures/aws/rds-changes.js';

const aws = mockAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const CONFIG = `
environments:
  prod:
    region: us-east-1
    rds: { instance: expo-project-prod-db }
  bare:
    region: us-east-1
`;
const ctx = (command: Parameters<typeof awsContext>[0], env = 'prod') =>
  awsContext(command, env, { configYaml: CONFIG });

function group(name = 'expo-prod-pg16') {
  aws.rds
    .on(DescribeDBInstancesCommand)
    .resolves(described({ DBParameterGroups: [{ DBParameterGroupName: name, ParameterApplyStatus: 'in-sync' }] }));
  const [first, second] = parameterPages([logMinDuration, maxConnections], [workMem, port]);
  aws.rds.on(DescribeDBParametersCommand).callsFake((input: { Marker?: string }) => (input.Marker ? second : first));
}

function reply(result: CommandResult): Reply {
  if (isJobRequest(result)) throw new Error('expected a reply');
  return result;
}
const text = (r: Reply) => `${r.text}\n${replyText(r)}`;

describe('/ops db params (RDS)', () => {
  it('reads every page of the group and filters by the pattern', async () => {
    group();
    const out = text(reply(await dbParams.run(ctx(dbParams), { pattern: 'log_min' })));
    expect(aws.rds).toHaveReceivedCommandWith(DescribeDBParametersCommand, {
      DBParameterGroupName: 'expo-prod-pg16',
      Marker: 'bG9nX21pbl9kdXJhdGlvbl9zdGF0ZW1lbnQ=',
    });
    expect(out).toContain('1 of 4 parameters* match `log_min` in parameter group `expo-prod-pg16`');
    expect(out).toMatch(/log_min_duration_statement\s+\(engine default\)\s+dynamic\s+-1-2147483647/);
    expect(out).not.toContain('work_mem');
  });

  it('without a pattern shows what the group sets; a default group says it cannot be changed', async () => {
    group('default.postgres16');
    const out = text(reply(await dbParams.run(ctx(dbParams), {})));
    expect(out).toContain('The 1 parameter set in this group');
    expect(out).toMatch(/work_mem\s+8192\s+dynamic/);
    expect(out).toContain("RDS's default group, which cannot be changed");
    await expect(dbParams.run(ctx(dbParams, 'bare'), {})).rejects.toThrow('neither an RDS instance nor a database');
  });
});

describe('/ops db param (RDS)', () => {
  it('refuses a default group and says how to create a custom one', async () => {
    group('default.postgres16');
    const refused = dbParam.plan(ctx(dbParam), { name: 'log_min_duration_statement', value: '1000' });
    await expect(refused).rejects.toThrow(
      "uses RDS's default parameter group `default.postgres16`, which cannot be changed",
    );
    await expect(refused).rejects.toMatchObject({
      hint: expect.stringContaining(
        'aws rds create-db-parameter-group --db-parameter-group-name expo-project-prod-db-params --db-parameter-group-family postgres16',
      ),
    });
    await expect(refused).rejects.toMatchObject({
      hint: expect.stringContaining(
        'aws rds modify-db-instance --db-instance-identifier expo-project-prod-db --db-parameter-group-name',
      ),
    });
    expect(aws.rds).not.toHaveReceivedCommand(DescribeDBParametersCommand);
  });

  it('a dynamic parameter: ModifyDBParameterGroup with ApplyMethod immediate', async () => {
    group();
    const plan = await dbParam.plan(ctx(dbParam), { name: 'log_min_duration_statement', value: '1000' });
    expect(dbParam.risk).toBe('dangerous');
    expect(plan.effects[0]).toContain('`log_min_duration_statement` (engine default) → *1000*');
    expect(plan.effects[0]).toContain('no reboot');
    expect(plan.preconditions[1]).toEqual({
      what: 'log_min_duration_statement in expo-prod-pg16 is (null: engine default)',
      expected: null,
    });
    aws.rds.on(ModifyDBParameterGroupCommand).resolves({ DBParameterGroupName: 'expo-prod-pg16' });
    const done = text(reply(await dbParam.execute(ctx(dbParam), plan)));
    expect(aws.rds).toHaveReceivedCommandWith(ModifyDBParameterGroupCommand, {
      DBParameterGroupName: 'expo-prod-pg16',
      Parameters: [{ ParameterName: 'log_min_duration_statement', ParameterValue: '1000', ApplyMethod: 'immediate' }],
    });
    expect(done).toContain('`log_min_duration_statement` = 1000');
  });

  it('a static parameter: pending-reboot, and says a reboot is needed', async () => {
    group();
    const plan = await dbParam.plan(ctx(dbParam), { name: 'max_connections', value: '200' });
    expect(plan.summary).toContain('(needs a reboot)');
    expect(plan.effects[0]).toContain('aws rds reboot-db-instance --db-instance-identifier expo-project-prod-db');
    aws.rds.on(ModifyDBParameterGroupCommand).resolves({ DBParameterGroupName: 'expo-prod-pg16' });
    const done = reply(await dbParam.execute(ctx(dbParam), plan));
    expect(done.tone).toBe('warning');
    expect(done.text).toBe('max_connections = 200 on prod (needs a reboot)');
    expect(aws.rds).toHaveReceivedCommandWith(ModifyDBParameterGroupCommand, {
      Parameters: [{ ParameterName: 'max_connections', ParameterValue: '200', ApplyMethod: 'pending-reboot' }],
    });
  });

  it('refuses unknown, fixed and out-of-range parameters with what to type instead', async () => {
    group();
    await expect(dbParam.plan(ctx(dbParam), { name: 'log_min_duration', value: '1' })).rejects.toMatchObject({
      hint: expect.stringContaining('Did you mean `log_min_duration_statement`'),
    });
    await expect(dbParam.plan(ctx(dbParam), { name: 'port', value: '5433' })).rejects.toThrow('IsModifiable false');
    await expect(dbParam.plan(ctx(dbParam), { name: 'work_mem', value: '12' })).rejects.toThrow(
      '`work_mem` must be in 64…2147483647, not 12',
    );
    await expect(dbParam.plan(ctx(dbParam), { name: 'work_mem', value: 'lots' })).rejects.toThrow(
      'takes a whole number',
    );
    await expect(dbParam.plan(ctx(dbParam), { name: 'work_mem', value: '8192' })).rejects.toThrow('already is 8192');
  });

  it('changes nothing when the value moved since the plan; explains InvalidParameterValue', async () => {
    group();
    const plan = await dbParam.plan(ctx(dbParam), { name: 'work_mem', value: '16384' });
    aws.rds.on(DescribeDBParametersCommand).resolves({ Parameters: [{ ...workMem, ParameterValue: '32768' }] });
    await expect(dbParam.execute(ctx(dbParam), plan)).rejects.toMatchObject({
      planChanged: true,
      message: expect.stringContaining('`work_mem` in `expo-prod-pg16` is now 32768, not 8192'),
    });
    expect(aws.rds).not.toHaveReceivedCommand(ModifyDBParameterGroupCommand);

    group();
    aws.rds
      .on(ModifyDBParameterGroupCommand)
      .rejects(
        awsError(
          'InvalidParameterValue',
          'Invalid parameter value: 16384x for: work_mem allowed values are: 64-2147483647',
        ),
      );
    await expect(dbParam.execute(ctx(dbParam), { ...plan, data: { ...plan.data, to: '16384x' } })).rejects.toThrow(
      'RDS refused work_mem = 16384x: Invalid parameter value',
    );
  });
});
