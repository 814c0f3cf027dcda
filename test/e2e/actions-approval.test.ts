import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import * as fx from '../fixtures/aws-actions/responses.js';

const eb = mockClient(ElasticBeanstalkClient);
const ecs = mockClient(ECSClient);

const CONFIG = `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: ${fx.EB_APP}, environment: ${fx.EB_ENV} }
    actions: { pollInterval: 60ms, rolloutTimeout: 20s }
  api:
    region: us-east-1
    ecs: { cluster: ${fx.CLUSTER}, services: [${fx.SERVICE}] }
    actions: { pollInterval: 40ms, rolloutTimeout: 20s }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: [rollback, restart, restore]
      allow: [oncall]
      approval: { approvers: [oncall], expires: 15m }
    - commands: [scale]
      allow: [oncall]
`;

/** A Beanstalk environment that starts updating when UpdateEnvironment arrives and is Green on the new version a few polls later. */
function simulateBeanstalk(): { deploy(label: string): void } {
  let version = 'app-v42';
  let updatingPolls = 0;
  eb.on(DescribeApplicationVersionsCommand).resolves(fx.ebVersions);
  eb.on(DescribeEventsCommand).resolves({
    Events: [{ EventDate: new Date(), Message: 'Deploying new version to instance(s).', Severity: 'INFO' }],
  });
  eb.on(UpdateEnvironmentCommand).callsFake((input: { VersionLabel?: string }) => {
    version = input.VersionLabel ?? version;
    updatingPolls = 4;
    return { Status: 'Updating' };
  });
  eb.on(DescribeEnvironmentsCommand).callsFake(() =>
    updatingPolls-- > 0
      ? fx.ebEnvironment('Updating', 'Grey', version)
      : fx.ebEnvironment('Ready', 'Green', version, 'Ok'),
  );
  return {
    deploy(label: string) {
      version = label;
    },
  };
}

/** An ECS service whose running count follows its desired count one poll later. */
function simulateEcs(initial = 2) {
  let desired = initial;
  let running = initial;
  ecs.on(UpdateServiceCommand).callsFake((input: { desiredCount?: number }) => {
    desired = input.desiredCount ?? desired;
    return fx.ecsUpdateResponse(42, 'ecs-svc/1111', desired);
  });
  ecs.on(DescribeServicesCommand).callsFake(() => {
    const shown = fx.ecsService(
      42,
      [fx.ecsDeployment('ecs-svc/1111', 42, 'PRIMARY', 'COMPLETED', running, desired)],
      desired,
      running,
    );
    running = desired;
    return shown;
  });
}

describe('risky actions through Slack: approval, job progress, outcome', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG, progressIntervalMs: 20 });
  });
  afterAll(async () => app?.stop());
  beforeEach(() => {
    eb.reset();
    ecs.reset();
  });

  async function card(text: string, channel?: string) {
    const [posted] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        (!channel || c.args.channel === channel) &&
        JSON.stringify(c.args).includes(text) &&
        JSON.stringify(c.args).includes('approval.approve'),
    );
    const json = JSON.stringify(posted.args);
    return { json, id: /"value":"([0-9a-f-]{36})"/.exec(json)![1], ts: posted.response.ts as string };
  }

  function finalMessage(channel: string): Promise<{ json: string; ts: string }> {
    return app.jobOutcome(channel, 20_000);
  }

  it('rollback: card with the concrete effect, self-approval refused, approval by someone else runs it as a job with progress', async () => {
    simulateBeanstalk();
    const reply = await app.ask('rollback prod', { userId: 'U0ALICE', channelId: 'C0ROLL' });
    expect(replyText(reply)).toContain('needs approval');
    const { json, id } = await card('rollback prod');
    expect(json).toContain('`app-v42` → `app-v41`');
    expect(eb).not.toHaveReceivedCommand(UpdateEnvironmentCommand);

    const self = await app.click('approval.approve', id, { userId: 'U0ALICE', channelId: 'C0ROLL' });
    const [selfAnswer] = await app.fake.waitForResponse((p) => p.id === self.responseId);
    expect(JSON.stringify(selfAnswer.body)).toContain('someone else must approve it');
    expect(eb).not.toHaveReceivedCommand(UpdateEnvironmentCommand);

    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: 'C0ROLL' });
    const final = await finalMessage('C0ROLL');
    expect(final.json).toContain('Rollback of Elastic Beanstalk `expo-project-prod-env` to `app-v41` is done');
    expect(final.json).toContain('requested by <@U0ALICE>');
    expect(eb).toHaveReceivedCommandWith(UpdateEnvironmentCommand, {
      EnvironmentName: fx.EB_ENV,
      VersionLabel: 'app-v41',
    });
    const updates = app.fake
      .callsTo('chat.update')
      .filter((c) => c.args.channel === 'C0ROLL' && c.args.ts === final.ts);
    expect(
      updates.some((u) => JSON.stringify(u.args).includes('▰') && JSON.stringify(u.args).includes('Updating')),
    ).toBe(true);
  });

  const cardNow = (channel: string, ts: string) => {
    const m = app.fake.message(channel, ts);
    return JSON.stringify([m?.blocks, m?.attachments]);
  };

  it('rollback: the card shows the frozen plan; once approved the outcome, who approved and when replace the buttons', async () => {
    simulateBeanstalk();
    await app.ask('rollback prod', { userId: 'U0ALICE', channelId: 'C0PLAN' });
    const { json, id, ts } = await card('rollback prod', 'C0PLAN');
    expect(json).toContain('*Plan:* Roll back Elastic Beanstalk');
    expect(json).toContain('app-version `app-v41`');
    expect(json).toContain('*Checked before acting:* expo-project-prod-env runs \\"app-v42\\"');
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: 'C0PLAN' });
    const final = await finalMessage('C0PLAN');
    expect(final.json).toContain('to `app-v41` is done');
    const settled = await waitUntil('the card to show the outcome', () => {
      const now = cardNow('C0PLAN', ts);
      return now.includes('Approved and done') && now;
    });
    expect(settled).toContain('<@U0BOB> <!date^');
    expect(settled).not.toContain('approval.approve');
    expect(eb).toHaveReceivedCommandTimes(UpdateEnvironmentCommand, 1);
  });

  it('rollback: a deploy between request and approval deploys nothing, and the card and the channel say what changed', async () => {
    const live = simulateBeanstalk();
    await app.ask('rollback prod', { userId: 'U0ALICE', channelId: 'C0MOVED' });
    const { json, id, ts } = await card('rollback prod', 'C0MOVED');
    expect(json).toContain('`app-v42` → `app-v41`');
    live.deploy('app-v43');
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: 'C0MOVED' });
    const final = await finalMessage('C0MOVED');
    const said = 'prod now runs `app-v43`, not `app-v42` as when the rollback was approved; nothing was deployed.';
    expect(final.json).toContain(said);
    const settled = await waitUntil('the card to show why nothing ran', () => {
      const now = cardNow('C0MOVED', ts);
      return now.includes('Approved, but it failed') && now;
    });
    expect(settled).toContain('nothing was deployed');
    expect(settled).toContain('/ops rollback prod');
    expect(eb).not.toHaveReceivedCommand(UpdateEnvironmentCommand);
    const audit = (await app.runtime.services.audit.recent(30)).filter((a) => a.command === 'rollback');
    expect(audit.map((a) => a.outcome)).toEqual(
      expect.arrayContaining(['approval_requested', 'approved', 'plan_changed']),
    );
  });

  it('scale up runs at once, without approval', async () => {
    simulateEcs(2);
    await app.command('scale api 4', { userId: 'U0ALICE', channelId: 'C0SCALEUP' });
    const final = await finalMessage('C0SCALEUP');
    expect(final.json).toContain('scaled 2 → 4');
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 4 });
    expect(
      app.fake
        .callsTo('chat.postMessage')
        .some((c) => c.args.channel === 'C0SCALEUP' && JSON.stringify(c.args).includes('approval.approve')),
    ).toBe(false);
  });

  it('scale down waits for approval by someone else; scale to 0 says nothing will serve traffic', async () => {
    simulateEcs(2);
    const reply = await app.ask('scale api 1', { userId: 'U0ALICE', channelId: 'C0SCALEDN' });
    expect(replyText(reply)).toContain('needs approval');
    const { json, id } = await card('scale api 1');
    expect(json).toContain('desired count 2 → 1');
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    await app.click('approval.approve', id, { userId: 'U0BOB', channelId: 'C0SCALEDN' });
    const final = await finalMessage('C0SCALEDN');
    expect(final.json).toContain('scaled 2 → 1');
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 1 });

    await app.ask('scale api 0', { userId: 'U0ALICE', channelId: 'C0SCALE0' });
    const zero = await card('scale api 0');
    expect(zero.json).toContain('nothing will serve traffic');
  });

  it('answers a bad count with the usage, and a dangerous command from a stranger with the role needed', async () => {
    expect(replyText(await app.ask('scale api lots'))).toContain('`lots` is not a count');
    expect(replyText(await app.ask('rollback prod', { userId: 'U0MALLORY' }))).toContain(
      'limited to the `oncall` role',
    );
  });
});
