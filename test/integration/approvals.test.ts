import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import pg from 'pg';
import { defineCommand } from '../../src/core/command.js';
import { commands } from '../../commands/index.js';
import { section } from '../../views/blocks.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

/** A dangerous test command whose every execution leaves a row, so executions can be counted. */
function countingCommands(dbUrl: () => string) {
  return [
    ...commands,
    defineCommand({
      name: 'wipe',
      summary: 'dangerous test command',
      usage: '[env] <target>',
      risk: 'dangerous',
      positionals: ['target'],
      args: z.object({ target: z.string() }),
      async plan(ctx, { target }) {
        return {
          command: 'wipe',
          env: ctx.envName,
          args: { target },
          summary: `Wipe ${target}`,
          effects: [`deletes everything in \`${target}\``],
          targets: [{ kind: 'cache', id: target }],
          preconditions: [],
          data: { target },
          plannedAt: new Date().toISOString(),
        };
      },
      async execute(ctx, { data: { target } }) {
        const client = new pg.Client({ connectionString: dbUrl() });
        await client.connect();
        await client.query('INSERT INTO wiped (target, by_user) VALUES ($1, $2)', [target, ctx.actor.id]);
        await client.end();
        return { text: `wiped ${target}`, tone: 'ok', blocks: [section(`:broom: wiped *${target}*`)] };
      },
    }),
  ];
}

const CONFIG = (expires = '15m', count = 1) => `
environments:
  prod: {}
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB, U0CAROL, ${Array.from({ length: 20 }, (_, i) => `U0OC${i}`).join(', ')}] }
  rules:
    - commands: [wipe]
      allow: [oncall]
      approval: { approvers: [oncall], expires: ${expires}, count: ${count} }
`;

describe('approval gate', () => {
  let app: TestApp;
  let dbUrl = '';
  const wiped = async (): Promise<number> => {
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM wiped');
    await client.end();
    return rows[0].n;
  };

  async function requestWipe(target: string, channelId = 'C0OPS') {
    const reply = await app.ask(`wipe ${target}`, { userId: 'U0ALICE', channelId });
    const card = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes(`wipe ${target}`),
    );
    const id = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card[0].args))![1];
    return { reply, id, ts: card[0].response.ts as string };
  }

  const cardJson = (channel: string, ts: string) => {
    const m = app.fake.message(channel, ts);
    return JSON.stringify([m?.blocks, m?.attachments]);
  };

  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG(), commands: countingCommands(() => dbUrl) });
    dbUrl = app.db.url;
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query('CREATE TABLE wiped (target text, by_user text)');
    await client.end();
  });
  afterAll(async () => app?.stop());
  beforeEach(async () => {
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query('TRUNCATE wiped');
    await client.end();
  });

  it('turns a dangerous command into a card with the effect, and runs nothing yet', async () => {
    const { reply, id, ts } = await requestWipe('cache-a');
    expect(replyText(reply)).toContain('needs approval before it runs');
    const card = cardJson('C0OPS', ts);
    expect(card).toContain('deletes everything in `cache-a`');
    expect(card).toContain('<@U0ALICE>');
    expect(card).toContain('"action_id":"approval.approve"');
    expect(card).toContain(`"value":"${id}"`);
    expect(await wiped()).toBe(0);
  });

  it('refuses the requester and an outsider with the reason, and runs on an approver', async () => {
    const { id, ts } = await requestWipe('cache-b');
    const self = await app.click('approval.approve', id, { userId: 'U0ALICE' });
    const [selfAnswer] = await app.fake.waitForResponse((p) => p.id === self.responseId);
    expect(JSON.stringify(selfAnswer.body)).toContain('someone else must approve it');
    const outsider = await app.click('approval.approve', id, { userId: 'U0MALLORY' });
    const [outsiderAnswer] = await app.fake.waitForResponse((p) => p.id === outsider.responseId);
    expect(JSON.stringify(outsiderAnswer.body)).toContain('Only *oncall* can approve');
    expect(outsiderAnswer.body.response_type).toBe('ephemeral');
    expect(await wiped()).toBe(0);

    await app.click('approval.approve', id, { userId: 'U0BOB' });
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    expect(await wiped()).toBe(1);
    expect(cardJson('C0OPS', ts)).toContain('Approved and done');
    expect(cardJson('C0OPS', ts)).toContain('<@U0BOB>');
    const audit = (await app.runtime.services.audit.recent(20))
      .filter((a) => a.command === 'wipe')
      .map((a) => a.outcome);
    expect(audit).toEqual(expect.arrayContaining(['approval_requested', 'approved', 'ok']));
  });

  it('executes exactly once when 20 approvers click at the same moment', async () => {
    const { id, ts } = await requestWipe('cache-c');
    const clicks = await Promise.all(
      Array.from({ length: 20 }, (_, i) => app.click('approval.approve', id, { userId: `U0OC${i}` })),
    );
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    // Every click is accounted for once the winner's result is in the thread and the other 19 are answered.
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    const refusals = await waitUntil('19 refusals', () => {
      const answered = app.fake.responses.filter((p) => clicks.some((c) => c.responseId === p.id));
      return answered.length >= 19 && answered;
    });
    expect(await wiped()).toBe(1);
    expect(refusals.length).toBe(19);
    expect(app.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
    expect(refusals.every((p) => JSON.stringify(p.body).includes('Already approved by'))).toBe(true);
  });

  it('a denial stops it for good', async () => {
    const { id, ts } = await requestWipe('cache-d');
    await app.click('approval.deny', id, { userId: 'U0CAROL' });
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === ts && JSON.stringify(c.args).includes('Denied'),
    );
    const late = await app.click('approval.approve', id, { userId: 'U0BOB' });
    const [answer] = await app.fake.waitForResponse((p) => p.id === late.responseId);
    expect(JSON.stringify(answer.body)).toContain('Already denied by <@U0CAROL>');
    expect(await wiped()).toBe(0);
  });

  it('the requester can withdraw their own request', async () => {
    const { id, ts } = await requestWipe('cache-w');
    await app.click('approval.deny', id, { userId: 'U0ALICE' });
    await app.fake.waitFor(
      (c) =>
        c.method === 'chat.update' && c.args.ts === ts && JSON.stringify(c.args).includes('Withdrawn by the requester'),
    );
    expect(await wiped()).toBe(0);
  });

  it('survives a restart of the bot between request and approval', async () => {
    const { id, ts } = await requestWipe('cache-e');
    await app.stop({ keepData: true });
    app = await TestApp.start({
      configYaml: CONFIG(),
      commands: countingCommands(() => dbUrl),
      reuse: { fake: app.fake, db: app.db, redis: app.redis },
    });
    await app.click('approval.approve', id, { userId: 'U0BOB' });
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    expect(await wiped()).toBe(1);
  });
});

/** A started app with the `wipe` command and its table, configured by CONFIG(expires, count). */
function startWipeApp(expires: string, count: number) {
  const state: { app?: TestApp; dbUrl: string } = { dbUrl: '' };
  beforeAll(async () => {
    state.app = await TestApp.start({
      configYaml: CONFIG(expires, count),
      commands: countingCommands(() => state.dbUrl),
    });
    state.dbUrl = state.app.db.url;
    const client = new pg.Client({ connectionString: state.dbUrl });
    await client.connect();
    await client.query('CREATE TABLE wiped (target text, by_user text)');
    await client.end();
  });
  afterAll(async () => state.app?.stop());
  return state;
}

describe('approval gate: expiry', () => {
  const state = startWipeApp('1s', 1);

  it('expires unapproved requests: the card says so and later clicks are refused', async () => {
    const app = state.app!;
    await app.ask('wipe cache-f', { userId: 'U0ALICE' });
    const [card] = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('wipe cache-f'),
    );
    const id = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.args))![1];
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === card.response.ts && JSON.stringify(c.args).includes('Expired'),
      { timeoutMs: 8000 },
    );
    const late = await app.click('approval.approve', id, { userId: 'U0BOB' });
    const [answer] = await app.fake.waitForResponse((p) => p.id === late.responseId);
    expect(JSON.stringify(answer.body)).toContain('expired');
  });
});

describe('approval gate: two approvers', () => {
  const state = startWipeApp('15m', 2);

  it('waits for the second approver when a rule asks for two, and refuses a double click', async () => {
    const app = state.app!;
    await app.ask('wipe cache-g', { userId: 'U0ALICE' });
    const [card] = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('wipe cache-g'),
    );
    const id = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.args))![1];
    await app.click('approval.approve', id, { userId: 'U0BOB' });
    const again = await app.click('approval.approve', id, { userId: 'U0BOB' });
    const [answer] = await app.fake.waitForResponse((p) => p.id === again.responseId);
    expect(JSON.stringify(answer.body)).toContain('You already approved this; it needs 1 more');
    await app.click('approval.approve', id, { userId: 'U0CAROL' });
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === card.response.ts);
    const client = new pg.Client({ connectionString: state.dbUrl });
    await client.connect();
    const { rows: done } = await client.query('SELECT target FROM wiped');
    await client.end();
    expect(done).toEqual([{ target: 'cache-g' }]);
  });
});
