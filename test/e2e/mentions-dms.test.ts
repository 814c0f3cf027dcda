// `@opsbot <command>` and a DM to opsbot run through the same router, access rules and audit as /ops:
// signed event_callback bodies, exactly as Slack sends them, against the real app and the fake Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, SIGNING_SECRET, replyText } from '../support/test-app.js';
import { eventBody, postToSlackEndpoint } from '../support/slack-request.js';

let ts = 1_764_650_000;
const nextTs = () => `${++ts}.000100`;

describe('app mentions and DMs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({
      configYaml: `
environments:
  prod: {}
access:
  roles:
    oncall: { users: [U0ALICE] }
  rules:
    - commands: [jobs]
      allow: [oncall]
`,
    });
  });
  afterAll(async () => app?.stop());

  const send = async (event: object, opts: { eventId?: string; retryNum?: number } = {}) => {
    const res = await postToSlackEndpoint(app.baseUrl, SIGNING_SECRET, eventBody(event, opts), {
      contentType: 'application/json',
      retryNum: opts.retryNum,
    });
    expect(res.status).toBe(200);
    return res;
  };
  const mention = (text: string, user: string, extra: object = {}) => ({
    type: 'app_mention',
    user,
    text,
    ts: nextTs(),
    channel: 'C0OPS',
    ...extra,
  });
  const dm = (text: string, extra: object = {}) => ({
    type: 'message',
    channel_type: 'im',
    channel: 'D0ALICE',
    user: 'U0ALICE',
    text,
    ts: nextTs(),
    ...extra,
  });
  const postsTo = (channel: string) => app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

  it('runs `@opsbot jobs` like /ops jobs and answers in a thread under the mention, audited', async () => {
    const event = mention('<@U0FAKEBOT> jobs', 'U0ALICE');
    const res = await send(event);
    expect(res.ms).toBeLessThan(3000);
    const [post] = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'C0OPS' && c.args.thread_ts === event.ts,
    );
    expect(post.response.ok).toBe(true);
    expect(replyText(post.args as never)).toContain('Jobs');
    const entries = await app.runtime.services.audit.recent(20);
    expect(entries.find((a) => a.actorId === 'U0ALICE' && a.command === 'jobs')?.outcome).toBe('ok');
  });

  it('refuses a mention from someone the access rules leave out, to them only, and audits the refusal', async () => {
    const event = mention('<@U0FAKEBOT> jobs', 'U0MALLORY', { thread_ts: '1764649999.000100' });
    await send(event);
    const [eph] = await app.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0MALLORY');
    expect(eph.args).toMatchObject({ channel: 'C0OPS', thread_ts: '1764649999.000100' });
    expect(JSON.stringify(eph.args)).toContain('`jobs` is limited to the `oncall` role');
    const entries = await app.runtime.services.audit.recent(20);
    expect(entries.find((a) => a.actorId === 'U0MALLORY')?.outcome).toBe('denied');
  });

  it('runs a DM as a command and answers in the DM; "/ops" in front and an empty DM (help) work too', async () => {
    await send(dm('help jobs'));
    const [first] = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'D0ALICE');
    expect(first.args.thread_ts).toBeUndefined();
    expect(replyText(first.args as never)).toContain('only oncall');
    await send(dm('/ops help'));
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'D0ALICE', { count: 2 });
    expect(replyText(postsTo('D0ALICE')[1].args as never)).toContain('opsbot commands');
  });

  it('ignores bot messages, edits, other subtypes and other channels; a retried delivery runs once', async () => {
    const before = postsTo('D0ALICE').length;
    await send(dm('help', { bot_id: 'B0OTHER' }));
    await send(dm('help', { subtype: 'message_changed', message: { text: 'help' } }));
    await send(dm('help', { subtype: 'bot_message' }));
    await send(dm('help', { user: 'U0FAKEBOT' }));
    await send({ ...dm('help'), channel_type: 'channel', channel: 'C0OPS' }); // plain channel chatter
    await send(mention('<@U0FAKEBOT> help', 'U0ALICE', { edited: { user: 'U0ALICE', ts: nextTs() } }));
    const marker = dm('help oncall');
    await send(marker, { eventId: 'Ev0RETRIED' });
    await send(marker, { eventId: 'Ev0RETRIED', retryNum: 1 });
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'D0ALICE', {
      count: before + 1,
    });
    // Only the marker was answered, once; the channel chatter and the edited mention got nothing.
    const after = postsTo('D0ALICE').slice(before);
    expect(after).toHaveLength(1);
    expect(replyText(after[0].args as never)).toContain('oncall');
    expect(postsTo('C0OPS').filter((c) => replyText(c.args as never).includes('opsbot commands'))).toHaveLength(0);
  });
});
