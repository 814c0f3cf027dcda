// /ops status and /ops deploy history through the Slack harness, against the simulated AWS behind
// `npm run demo` (its own simulator; the SDK-level checks are in sandbox-aws.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsSimulator, type AwsSimulator } from '../../src/sandbox/aws/server.js';
import { DEMO_NAMES as N } from '../../src/sandbox/aws/fleet.js';
import { TestApp, replyText } from '../support/test-app.js';
import { useSdkEnv } from '../support/sdk-env.js';

describe('/ops commands against the simulated AWS', () => {
  let app: TestApp;
  let own: AwsSimulator;
  let restoreEnv = () => {};

  beforeAll(async () => {
    own = await startAwsSimulator();
    restoreEnv = useSdkEnv(own.sdkEnv());
    app = await TestApp.start({
      configYaml: `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: ${N.application}, environment: ${N.environment} }
    ecs: { cluster: ${N.cluster}, services: [${N.service}] }
    rds: { instance: ${N.dbInstance} }
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await own?.close();
    restoreEnv();
  });

  it('/ops status shows the Beanstalk environment, the ECS service and the RDS instance', async () => {
    const reply = await app.ask('status prod', { timeoutMs: 15_000 });
    const text = replyText(reply);
    expect(text).toContain(N.environment);
    expect(text).toContain('v1.43.0');
    expect(text).toContain(N.service);
    expect(text).toContain(N.dbInstance);
    expect(own.calls.some((call) => call.operation === 'DescribeEnvironments' && !call.error)).toBe(true);
    expect(own.calls.filter((call) => call.error)).toEqual([]);
  });

  it('/ops deploy history lists the versions and revisions, newest first', async () => {
    const reply = await app.ask('deploy history prod', { timeoutMs: 15_000 });
    const text = replyText(reply);
    expect(text).toContain('v1.43.0');
    expect(text).toContain('v1.42.1');
    expect(text.indexOf('v1.43.0')).toBeLessThan(text.indexOf('v1.42.1'));
    expect(text).toMatch(/expertconnect-backend:4[01]|:41/);
  });
});
