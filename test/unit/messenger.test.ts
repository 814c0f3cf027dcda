import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackMessenger, slackErrorCode } from '../../src/slack/messenger.js';
import { createLogger } from '../../src/log.js';
import { section } from '../../views/blocks.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';

describe('SlackMessenger', () => {
  let fake: FakeSlack;
  let messenger: SlackMessenger;
  beforeAll(async () => {
    fake = await startFakeSlack();
    messenger = SlackMessenger.create('xoxb-test', fake.apiUrl, createLogger('silent'));
  });
  afterAll(async () => fake?.close());

  it('waits out a 429 for the time Slack asks, then posts', async () => {
    fake.rateLimitNext('chat.postMessage', 1);
    const started = Date.now();
    const posted = await messenger.post('C0RATE', { text: 'hello', blocks: [section('hello')] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.message('C0RATE', posted.ts)?.text).toBe('hello');
    expect(
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === 'C0RATE')
        .map((c) => c.status),
    ).toEqual([429, 200]);
  });

  it('skips rather than waits for a best-effort update', async () => {
    const posted = await messenger.post('C0RATE2', { text: 'a', blocks: [section('a')] });
    fake.rateLimitNext('chat.update', 30);
    await expect(
      messenger.update(posted, { text: 'b', blocks: [section('b')] }, { wait: false }),
    ).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
  });

  it('joins a public channel it is not in, then posts', async () => {
    fake.failNext('chat.postMessage', 'not_in_channel');
    await messenger.postJoining('C0JOIN', { text: 'x', blocks: [section('x')] });
    expect(fake.callsTo('conversations.join').at(-1)?.args.channel).toBe('C0JOIN');
    expect(fake.lastMessage('C0JOIN')?.text).toBe('x');
  });

  it('surfaces the Slack error code of a failed call', async () => {
    fake.failNext('chat.postMessage', 'channel_not_found');
    const err = await messenger.post('C0GONE', { text: 'x', blocks: [] }).catch((e: unknown) => e);
    expect(slackErrorCode(err)).toBe('channel_not_found');
  });

  it('uploads attached files into the message thread, secrets masked', async () => {
    const posted = await messenger.post('C0FILES', {
      text: 'report',
      blocks: [section('report')],
      files: [{ filename: 'out.txt', content: 'dsn postgres://u:pw@h/d' }],
    });
    const complete = fake.callsTo('files.completeUploadExternal').at(-1)!;
    expect(complete.args.thread_ts).toBe(posted.ts);
    const bytes = Object.values(fake.uploads).map((b) => b.toString());
    expect(bytes.some((b) => b.includes('postgres://u:***@h/d'))).toBe(true);
    expect(bytes.some((b) => b.includes(':pw@'))).toBe(false);
  });
});
