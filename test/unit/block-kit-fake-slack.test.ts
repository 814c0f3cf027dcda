// The fake Slack answers a payload that breaks Block Kit's rules as Slack does: invalid_blocks from chat.*,
// invalid_arguments from views.*, HTTP 400 on a response_url (the rules themselves: block-kit-rules.test.ts).
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { DOCUMENTED_MODAL, pt, section, x } from '../fixtures/slack/block-kit.js';

describe('the fake Slack answers violations as Slack does', () => {
  let fake: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    fake = await startFakeSlack();
    const quiet = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => LogLevel.ERROR,
      setName() {},
    };
    client = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet as Logger,
    });
  });
  afterAll(() => fake.close());

  it('chat.postMessage, chat.postEphemeral and chat.update: ok:false, invalid_blocks, with response_metadata', async () => {
    const blocks = [section(x(3001))];
    await expect(client.chat.postMessage({ channel: 'C1', text: 't', blocks })).rejects.toMatchObject({
      data: {
        ok: false,
        error: 'invalid_blocks',
        response_metadata: {
          messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
        },
      },
    });
    await expect(client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 't', blocks })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    const posted = await client.chat.postMessage({ channel: 'C1', text: 't', blocks: [section('ok')] });
    await expect(client.chat.update({ channel: 'C1', ts: posted.ts!, text: 't', blocks })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    expect(fake.lastMessage('C1')?.blocks).toEqual([section('ok')]); // the rejected update changed nothing
    expect(fake.violations.map((v) => v.method)).toEqual(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);
    fake.violations.length = 0; // expected here; setup.ts fails any other test that leaves one
  });

  it('views.open, views.update, views.push and views.publish: invalid_arguments', async () => {
    const bad = { ...DOCUMENTED_MODAL, title: pt(x(25)) };
    const expected = {
      data: {
        ok: false,
        error: 'invalid_arguments',
        response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] },
      },
    };
    await expect(client.views.open({ trigger_id: '1.2.3', view: bad as never })).rejects.toMatchObject(expected);
    const opened = await client.views.open({ trigger_id: '1.2.3', view: DOCUMENTED_MODAL as never });
    await expect(client.views.update({ view_id: opened.view!.id!, view: bad as never })).rejects.toMatchObject(
      expected,
    );
    await expect(client.views.push({ trigger_id: '1.2.4', view: bad as never })).rejects.toMatchObject(expected);
    const home = { type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) };
    await expect(client.views.publish({ user_id: 'U1', view: home as never })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect((await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } })).ok).toBe(true);
    expect(fake.violations).toHaveLength(4);
    fake.violations.length = 0;
  });

  it('a response_url answers HTTP 400 invalid_blocks and records nothing as posted', async () => {
    const url = fake.responseUrl('strict');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('invalid_blocks');
    expect(fake.responses.filter((r) => r.id === 'strict')).toEqual([]);
    expect(fake.violations[0]).toMatchObject({
      method: 'response_url',
      messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
    });
    fake.violations.length = 0;
    const ok = await fetch(url, { method: 'POST', body: JSON.stringify({ text: 't', blocks: [section('fine')] }) });
    expect(ok.status).toBe(200);
  });
});
