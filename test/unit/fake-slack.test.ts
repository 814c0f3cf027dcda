import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient, ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import {
  blockActionBody,
  eventBody,
  postToSlackEndpoint,
  signSlackRequest,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-request.js';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack({ teamId: 'T123', botUserId: 'UBOT' });
});
afterAll(async () => fake.close());
beforeEach(() => {
  fake.reset();
  client = new WebClient('xoxb-test-token', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});

async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('fake Slack Web API with the real WebClient', () => {
  it('answers auth.test and records the bearer token without echoing it', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, team_id: 'T123', user_id: 'UBOT' });
    expect(JSON.stringify(res)).not.toContain('xoxb-test-token');
    expect(fake.callsTo('auth.test')[0].token).toBe('xoxb-test-token');
  });

  it('postMessage then update changes lastMessage; blocks come back as arrays', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C1',
      text: 'deploying',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*deploying*' } }],
    });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.callsTo('chat.postMessage')[0].args.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*deploying*' } },
    ]);
    await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'deployed' });
    expect(fake.lastMessage('C1')).toMatchObject({ ts: posted.ts, text: 'deployed', updates: 1 });
    expect(fake.lastMessage('C1')?.blocks).toHaveLength(1); // omitted blocks are kept, as in Slack
    const second = await client.chat.postMessage({ channel: 'C1', text: 'next' });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));
    await client.chat.delete({ channel: 'C1', ts: second.ts! });
    expect(fake.lastMessage('C1')?.ts).toBe(posted.ts);
    expect(fake.message('C1', posted.ts!)?.text).toBe('deployed');
  });

  it('failNext produces a platform_error carrying data.error', async () => {
    fake.failNext('chat.postMessage', 'channel_not_found');
    const e = await rejection(client.chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(e.code).toBe(ErrorCode.PlatformError);
    expect(e.code).toBe('slack_webapi_platform_error');
    expect((e as unknown as WebAPIPlatformError).data.error).toBe('channel_not_found');
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('rateLimitNext gives a rate-limited error with retryAfter', async () => {
    fake.rateLimitNext('chat.postMessage', 7);
    const e = await rejection(client.chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(e.code).toBe('slack_webapi_rate_limited_error');
    expect((e as unknown as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(fake.callsTo('chat.postMessage')[0].status).toBe(429);
  });

  it('serverErrorNext and unknown methods', async () => {
    fake.serverErrorNext('users.info', 503);
    const e = await rejection(client.users.info({ user: 'U1' }));
    expect(e.code).toBe(ErrorCode.HTTPError);
    const u = await client.users.info({ user: 'U1' });
    expect(u.user?.id).toBe('U1');
    const unknown = await rejection(client.apiCall('no.such.method'));
    expect((unknown as unknown as WebAPIPlatformError).data.error).toBe('unknown_method');
  });

  it('serverErrorFor answers 500 to every call to those methods until the time passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      fake.serverErrorFor(['chat.postMessage', 'chat.update'], 20_000);
      for (let i = 0; i < 3; i++) {
        expect((await rejection(client.chat.postMessage({ channel: 'C1', text: 'x' }))).code).toBe(ErrorCode.HTTPError);
      }
      expect((await client.users.info({ user: 'U1' })).ok).toBe(true); // other methods still answer
      vi.advanceTimersByTime(19_000);
      expect((await rejection(client.chat.update({ channel: 'C1', ts: '1.2', text: 'y' }))).code).toBe(
        ErrorCode.HTTPError,
      );
      vi.advanceTimersByTime(1_001);
      expect((await client.chat.postMessage({ channel: 'C1', text: 'after' })).ok).toBe(true);
      const posts = fake.callsTo('chat.postMessage');
      expect(posts.map((c) => c.status)).toEqual([500, 500, 500, 200]);
      expect(posts[0].response).toEqual({ ok: false, error: 'fake_server_error' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('files.uploadV2 ends with the bytes in fake.uploads', async () => {
    const res = await client.files.uploadV2({
      channel_id: 'C1',
      filename: 'report.txt',
      content: 'héllo bytes\n',
      title: 'Report',
    });
    const id = fake.callsTo('files.getUploadURLExternal')[0].response.file_id as string;
    expect(fake.uploads[id].toString('utf8')).toBe('héllo bytes\n');
    expect(fake.files[id]).toMatchObject({ channel_id: 'C1', title: 'Report' });
    expect(JSON.stringify(res)).toContain(id);
  });

  it('records JSON POSTs to a response_url', async () => {
    const url = fake.responseUrl('cmd-1');
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'hi', response_type: 'ephemeral' }),
    });
    expect(r.status).toBe(200);
    const [post] = await fake.waitForResponse((p) => p.id === 'cmd-1');
    expect(post.body).toEqual({ text: 'hi', response_type: 'ephemeral' });
  });

  it('conversations, usergroups, views, and programmable overrides', async () => {
    const created = await client.conversations.create({ name: 'inc-42-db' });
    expect(created.channel?.id).toMatch(/^C/);
    expect(
      ((await rejection(client.conversations.create({ name: 'inc-42-db' }))) as unknown as WebAPIPlatformError).data
        .error,
    ).toBe('name_taken');
    await client.conversations.invite({ channel: created.channel!.id!, users: 'U1,U2' });
    await client.conversations.setTopic({ channel: created.channel!.id!, topic: 'DB down' });
    expect(fake.channels[created.channel!.id!]).toMatchObject({ topic: 'DB down', members: ['UBOT', 'U1', 'U2'] });
    fake.usergroups.S1 = ['U1', 'U3'];
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U3']);
    expect(
      ((await rejection(client.usergroups.users.list({ usergroup: 'S9' }))) as unknown as WebAPIPlatformError).data
        .error,
    ).toBe('no_such_subteam');
    const v = await client.views.open({
      trigger_id: '1.2.abc',
      view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] },
    });
    await client.views.update({
      view_id: v.view!.id!,
      view: { type: 'modal', title: { type: 'plain_text', text: 'y' }, blocks: [] },
    });
    fake.handle('users.info', (args) => ({ user: { id: args.user, name: 'custom' } }));
    expect((await client.users.info({ user: 'U5' })).user?.name).toBe('custom');
  });

  it('enforceChannelRate answers 429 past the burst and counts it', async () => {
    fake.enforceChannelRate({ perSecond: 1, burst: 2 });
    await client.chat.postMessage({ channel: 'C1', text: '1' });
    await client.chat.postMessage({ channel: 'C1', text: '2' });
    await client.chat.postMessage({ channel: 'C2', text: 'other channel' });
    const e = await rejection(client.chat.postMessage({ channel: 'C1', text: '3' }));
    expect(e.retryAfter).toBe(1);
    expect(fake.rateLimited).toBe(1);
  });

  it('waitFor resolves on later calls and times out with a helpful message', async () => {
    fake.delayNext('chat.postMessage', 50);
    void client.chat.postMessage({ channel: 'C1', text: 'late' });
    const [call] = await fake.waitFor('chat.postMessage', { timeoutMs: 2000 });
    expect(call.args.text).toBe('late');
    await expect(fake.waitFor((c) => c.method === 'pins.add', { timeoutMs: 50 })).rejects.toThrow(
      /got 0\. Calls so far: chat\.postMessage/,
    );
  });
});

describe('slack-request helpers', () => {
  it('signSlackRequest matches Slack documented example', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const independent = `v0=${createHmac('sha256', secret).update(`v0:1531420618:${body}`).digest('hex')}`;
    const headers = signSlackRequest(secret, body, 1531420618);
    expect(headers['X-Slack-Signature']).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
    expect(headers['X-Slack-Signature']).toBe(independent);
    expect(headers['X-Slack-Request-Timestamp']).toBe('1531420618');
  });

  it('builds Slack-shaped bodies', () => {
    const cmd = new URLSearchParams(slashCommandBody({ text: 'status api', responseUrl: 'http://x/response/1' }));
    expect([...cmd.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(cmd.get('command')).toBe('/ops');
    const action = JSON.parse(
      new URLSearchParams(
        blockActionBody({ actionId: 'approve', value: '42', userId: 'U1', channelId: 'C1', responseUrl: 'http://x' }),
      ).get('payload')!,
    );
    expect(action).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', channel_id: 'C1', is_ephemeral: false },
      actions: [{ action_id: 'approve', value: '42', type: 'button' }],
    });
    const view = JSON.parse(
      new URLSearchParams(viewSubmissionBody({ callbackId: 'cb', userId: 'U1', values: { b: { a: 'typed' } } })).get(
        'payload',
      )!,
    );
    expect(view.view.state.values.b.a).toEqual({ type: 'plain_text_input', value: 'typed' });
    expect(JSON.parse(eventBody({ type: 'app_mention', text: 'hi' }, { eventId: 'Ev1' }))).toMatchObject({
      type: 'event_callback',
      event_id: 'Ev1',
      event: { type: 'app_mention' },
    });
  });

  it('postToSlackEndpoint signs, adds retry headers and can forge a bad signature', async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const srv = createServer((req, res) => {
      seen.push(req.headers);
      res.end('ack');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const res = await postToSlackEndpoint(base, 's3cret', 'a=1', {
        retryNum: 1,
        retryReason: 'http_timeout',
        timestamp: 1700000000,
      });
      expect(res).toMatchObject({ status: 200, body: 'ack' });
      expect(seen[0]['x-slack-signature']).toBe(signSlackRequest('s3cret', 'a=1', 1700000000)['X-Slack-Signature']);
      expect(seen[0]).toMatchObject({
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
        'content-type': 'application/x-www-form-urlencoded',
      });
      await postToSlackEndpoint(base, 's3cret', 'a=1', { badSignature: true, timestamp: 1700000000 });
      expect(seen[1]['x-slack-signature']).not.toBe(seen[0]['x-slack-signature']);
    } finally {
      srv.closeAllConnections();
      await new Promise((r) => srv.close(r));
    }
  });
});
