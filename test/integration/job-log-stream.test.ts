import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobLogStream } from '../../src/jobs/job-log-stream.js';
import { createLogger } from '../../src/log.js';
import { SlackMessenger } from '../../src/slack/messenger.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { BOT_TOKEN, LogCapture } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

// A job's running log streamed into the thread of its message, against the fake Web API's stream methods
// (which check what Slack documents: a thread, a recipient outside DMs, 12,000 characters, a live stream).

describe('job log stream (chat.startStream / appendStream / stopStream)', () => {
  let fake: FakeSlack;
  let messenger: SlackMessenger;
  let logs: LogCapture;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  beforeEach(() => {
    fake.reset();
    logs = new LogCapture();
    messenger = SlackMessenger.create(BOT_TOKEN, fake.apiUrl, createLogger('warn', logs));
  });
  afterAll(async () => {
    await fake?.close();
  });

  const jobMessage = () => messenger.post('C0OPS', { text: 'Restore prod: running', blocks: [] });

  it('streams the steps in order, batched, into the thread, and ends with the outcome', async () => {
    const message = await jobMessage();
    const stream = new JobLogStream(messenger, message, 'U0ALICE', createLogger('warn', logs), undefined, 30);
    stream.line('creating');
    stream.line('modifying');
    await waitUntil('the stream to start', () => fake.callsTo('chat.startStream').length === 1);
    stream.line('available');
    await stream.stop('Restore prod: done in 4 min.');

    const [start] = fake.callsTo('chat.startStream');
    expect(start.args).toMatchObject({ channel: 'C0OPS', thread_ts: message.ts, recipient_user_id: 'U0ALICE' });
    expect(start.args.recipient_team_id).toBe((fake.callsTo('auth.test')[0].response as { team_id: string }).team_id);
    const text = fake.message('C0OPS', String(start.response!.ts))!.text!;
    expect(text.replace(/`\d\d:\d\d:\d\d` /g, '')).toBe(
      'creating\nmodifying\navailable\nRestore prod: done in 4 min.\n',
    );
    expect(fake.callsTo('chat.stopStream')).toHaveLength(1);
    expect(fake.callsTo('chat.appendStream').every((c) => c.status === 200 && c.response?.ok)).toBe(true);
  });

  it('is off for a job nobody in Slack asked for, and switches off (logged) when Slack refuses it', async () => {
    const message = await jobMessage();
    const scheduled = new JobLogStream(messenger, message, 'opsbot', createLogger('warn', logs), undefined, 10);
    scheduled.line('dumping');
    await scheduled.stop('done');
    expect(fake.callsTo('chat.startStream')).toHaveLength(0);

    fake.failNext('chat.startStream', 'not_allowed_token_type');
    const refused = new JobLogStream(messenger, message, 'U0ALICE', createLogger('warn', logs), undefined, 10);
    refused.line('creating');
    await waitUntil('the refusal to be logged', () => logs.text().includes('job log stream refused'));
    refused.line('available');
    await refused.stop('done');
    expect(fake.callsTo('chat.startStream')).toHaveLength(1);
    expect(fake.callsTo('chat.appendStream')).toHaveLength(0);
    expect(fake.callsTo('chat.stopStream')).toHaveLength(0);
  });

  it('the fake refuses what Slack refuses: no thread, no recipient in a channel, a stopped stream, too long', async () => {
    const message = await jobMessage();
    const call = (method: string, args: Record<string, unknown>) =>
      messenger.client.apiCall(method, args).then(
        (r) => r.ok,
        (e: { data?: { error?: string } }) => e.data?.error,
      );
    expect(
      await call('chat.startStream', {
        channel: 'C0OPS',
        markdown_text: 'x',
        recipient_user_id: 'U1',
        recipient_team_id: 'T1',
      }),
    ).toBe('invalid_arguments');
    expect(await call('chat.startStream', { channel: 'C0OPS', thread_ts: message.ts, markdown_text: 'x' })).toBe(
      'invalid_arguments',
    );
    const { ts } = (await messenger.client.apiCall('chat.startStream', {
      channel: 'C0OPS',
      thread_ts: message.ts,
      markdown_text: 'x',
      recipient_user_id: 'U1',
      recipient_team_id: 'T1',
    })) as unknown as { ts: string };
    expect(await call('chat.appendStream', { channel: 'C0OPS', ts, markdown_text: 'y'.repeat(12_000) })).toBe(
      'msg_too_long',
    );
    expect(await call('chat.stopStream', { channel: 'C0OPS', ts })).toBe(true);
    expect(await call('chat.appendStream', { channel: 'C0OPS', ts, markdown_text: 'z' })).toBe(
      'message_not_in_streaming_state',
    );
  });
});
