import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, SIGNING_SECRET, replyText } from '../support/test-app.js';
import { eventBody, postToSlackEndpoint, viewSubmissionBody } from '../support/slack-request.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { waitUntil } from '../support/wait.js';

const CONFIG = `
environments:
  prod: {}
  staging: {}
channels: { incidents: C0INCIDENTS }
access:
  roles:
    oncall: { users: [U0ONCALL1, U0ONCALL2] }
incidents:
  oncallRole: oncall
  updateReminder: 1h
  severities:
    P1: { respondWithin: 2s }
`;

const json = (v: unknown) => JSON.stringify(v);

describe('incident workflow end to end through Slack', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
  });
  afterAll(async () => app?.stop());

  const posts = (channel: string, pred: (c: RecordedCall) => boolean = () => true) =>
    app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && pred(c));
  const cardJson = (channel: string, ts: string) =>
    json([app.fake.message(channel, ts)?.blocks, app.fake.message(channel, ts)?.attachments]);

  it('declares a P1, escalates the late acknowledgement, records updates, commands and pins, and resolves with a postmortem', async () => {
    // Declare from an ops channel.
    const declared = await app.ask('incident declare P1 Checkout is failing', {
      userId: 'U0ALICE',
      channelId: 'C0OPS',
    });
    expect(replyText(declared)).toContain('INC-');
    const [create] = await app.fake.waitFor('conversations.create');
    const channel = String(create.response.channel.id);
    expect(create.args.name).toMatch(/^inc-\d{8}-checkout-is-failing$/);
    const invited = app.fake
      .callsTo('conversations.invite')
      .filter((c) => c.args.channel === channel)
      .map((c) => String(c.args.users));
    expect(invited.sort()).toEqual(['U0ALICE', 'U0ONCALL1', 'U0ONCALL2']);
    const [topic] = app.fake.callsTo('conversations.setTopic');
    expect(topic.args.topic).toContain('P1');
    expect(topic.args.topic).toContain('Checkout is failing');
    const [card] = posts(channel);
    expect(json(card.args)).toContain('incident.ack');
    expect(json(card.args)).toContain('#E01E5A'); // P1 is shown in the danger colour
    const [pin] = app.fake.callsTo('pins.add');
    expect(pin.args).toMatchObject({ channel, timestamp: card.response.ts });
    const [announcement] = posts('C0INCIDENTS');
    expect(json(announcement.args)).toContain(`<#${channel}>`);
    const id = Number(/INC-(\d+)/.exec(json(card.args))![1]);

    // Nobody acknowledges within 2 s: escalation in the channel and in #incidents, mentioning on-call.
    const [escalation] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'C0INCIDENTS' &&
        json(c.args).includes('is not acknowledged'),
      { timeoutMs: 20_000 },
    );
    expect(json(escalation.args)).toContain('<@U0ONCALL1>');
    await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.args.channel === channel && json(c.args).includes('is not acknowledged'),
    );

    // Late acknowledgement by Bob, in the incident channel.
    const ack = await app.ask('incident ack', { userId: 'U0BOB', channelId: channel });
    expect(replyText(ack)).toContain('Acknowledged');
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === card.response.ts && json(c.args).includes('Acknowledged'),
    );
    expect(cardJson(channel, card.response.ts)).not.toContain('incident.ack');
    expect(cardJson(channel, card.response.ts)).toContain(':warning: acknowledged after');

    // A status update goes to the channel and the announcement thread.
    await app.ask('incident update Rolled back deploy 42, watching the error rate', {
      userId: 'U0BOB',
      channelId: channel,
    });
    expect(posts(channel, (c) => json(c.args).includes('Rolled back deploy 42')).length).toBe(1);
    expect(
      posts(
        'C0INCIDENTS',
        (c) => c.args.thread_ts === announcement.response.ts && json(c.args).includes('Rolled back deploy 42'),
      ).length,
    ).toBe(1);

    // Any other command typed in the channel lands in the timeline with its outcome.
    await app.ask('health', { userId: 'U0CAROL', channelId: channel });
    await app.ask('incident note action: alarm on checkout 5xx', { userId: 'U0CAROL', channelId: channel });

    // A :pushpin: reaction copies the message into the timeline (once, however often it is pinned).
    app.fake.handle('conversations.history', (args) => ({
      messages: [{ type: 'message', ts: args.latest, user: 'U0CAROL', text: 'Deploy 42 went out at 14:01' }],
      has_more: false,
    }));
    for (const eventId of ['Ev0PIN1', 'Ev0PIN2']) {
      const body = eventBody(
        {
          type: 'reaction_added',
          user: 'U0CAROL',
          reaction: 'pushpin',
          item: { type: 'message', channel, ts: '1700000000.000100' },
          item_user: 'U0CAROL',
        },
        { eventId },
      );
      const res = await postToSlackEndpoint(app.baseUrl, SIGNING_SECRET, body, { contentType: 'application/json' });
      expect(res.status).toBe(200);
    }
    const timelineHas = async (text: string) =>
      (await app.runtime.services.incidents.timeline(id)).some((e) => e.text.includes(text));
    await waitUntil('the pinned message in the timeline', () => timelineHas('Deploy 42 went out'));
    expect(app.fake.callsTo('conversations.history')[0].args).toMatchObject({
      channel,
      latest: '1700000000.000100',
      limit: '1',
    });

    // Resolve: card, announcement, postmortem draft uploaded to the channel.
    const resolved = await app.ask('incident resolve Rolled back deploy 42; error rate normal', {
      userId: 'U0BOB',
      channelId: channel,
    });
    expect(replyText(resolved)).toContain('Resolved');
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === card.response.ts && json(c.args).includes('Resolved'),
    );
    expect(cardJson(channel, card.response.ts)).toContain('Time to resolve');
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === announcement.response.ts && json(c.args).includes('Resolved'),
    );
    const [complete] = await app.fake.waitFor('files.completeUploadExternal');
    expect(complete.args.channel_id).toBe(channel);
    const fileId = String(complete.args.files[0].id);
    const postmortem = app.fake.uploads[fileId].toString('utf8');
    for (const heading of [
      '# Postmortem: Checkout is failing',
      '## Summary',
      '## Impact',
      '## Timeline',
      '## Root cause',
      '## What went well',
      '## Action items',
    ])
      expect(postmortem).toContain(heading);
    expect(postmortem).toContain('Rolled back deploy 42; error rate normal');
    expect(postmortem).toContain('Deploy 42 went out at 14:01');
    expect(postmortem).toContain('alarm on checkout 5xx |'); // the action note became an action item
    expect(postmortem).toMatch(/escalated/);
    // People appear by their Slack names (users.info), not as raw ids.
    expect(postmortem).toMatch(/@user-u0[a-z0-9]+/);
    expect(postmortem).not.toMatch(/@U0[A-Z0-9]+/);

    // The timeline wrote itself.
    const timeline = replyText(await app.ask('incident timeline', { userId: 'U0ALICE', channelId: channel }));
    for (const text of [
      'declared P1',
      'escalated to on-call',
      'acknowledged after',
      'Rolled back deploy 42, watching',
      '/ops health',
      'alarm on checkout',
      'pinned',
      'error rate normal',
    ])
      expect(timeline).toContain(text);
    const entries = await app.runtime.services.incidents.timeline(id);
    expect(entries.filter((e) => e.kind === 'pin')).toHaveLength(1);
    expect(entries.filter((e) => e.kind === 'command').map((e) => e.text)).toEqual(['/ops health → ok']);
    const incident = (await app.runtime.services.incidents.target({ id }))!;
    expect(incident.status).toBe('resolved');
    expect(incident.acknowledgedAt!.getTime() - incident.declaredAt.getTime()).toBeGreaterThanOrEqual(2000);
    expect(incident.mitigatedAt).toEqual(incident.resolvedAt);
    app.fake.handle('conversations.history', null);
  }, 60_000);

  it('lists open incidents most severe first, and asks which one when it cannot tell', async () => {
    await app.ask('incident declare P3 Logo is blurry', { userId: 'U0ALICE', channelId: 'C0OPS' });
    await app.ask('incident declare P0 Site down', { userId: 'U0ALICE', channelId: 'C0OPS' });
    const list = replyText(await app.ask('incident list', { channelId: 'C0OPS' }));
    expect(list.indexOf('Site down')).toBeGreaterThan(-1);
    expect(list.indexOf('Site down')).toBeLessThan(list.indexOf('Logo is blurry'));
    const which = replyText(await app.ask('incident ack', { userId: 'U0BOB', channelId: 'C0OPS' }));
    expect(which).toMatch(/\d open incidents/);
    expect(which).toContain('Site down');
    const siteDown = (await app.runtime.services.incidents.listOpen()).find((i) => i.title === 'Site down')!;
    await app.ask(`incident postmortem --id ${siteDown.id}`, { userId: 'U0ALICE', channelId: 'C0OPS' });
    const [upload] = await app.fake.waitFor(
      (c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === 'C0OPS',
    );
    expect(app.fake.uploads[String(upload.args.files[0].id)].toString('utf8')).toContain(
      '| Time to resolve | not yet |',
    );
    expect(which).toContain('--id');
  });

  it('declares through the modal once even when the submission arrives twice, and acts on card buttons', async () => {
    const sent = await app.command('incident declare', { userId: 'U0ALICE', channelId: 'C0OPS' });
    expect(sent.status).toBe(200);
    const [open] = await app.fake.waitFor(
      (c) => c.method === 'views.open' && c.args.view?.callback_id === 'incident.declare',
    );
    const metadata = String(open.args.view.private_metadata);
    const before = app.fake.callsTo('conversations.create').length;
    const submission = () =>
      viewSubmissionBody({
        callbackId: 'incident.declare',
        userId: 'U0ALICE',
        privateMetadata: metadata,
        values: {
          title: { value: 'Search is slow' },
          severity: { value: { type: 'static_select', selected_option: { value: 'P2' } } },
          environment: { value: { type: 'static_select', selected_option: { value: 'staging' } } },
          description: { value: 'p95 above 3 s since 10:00' },
          owner: { value: { type: 'users_select', selected_user: 'U0DAVE' } },
        },
      });
    const answers = await Promise.all(
      [submission(), submission()].map((b) => postToSlackEndpoint(app.baseUrl, SIGNING_SECRET, b)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const [create] = await app.fake.waitFor(
      (c) => c.method === 'conversations.create' && String(c.args.name).includes('search-is-slow'),
    );
    await app.fake.waitFor(
      (c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0ALICE' && json(c.args).includes('Search is slow'),
      { timeoutMs: 10_000 },
    );
    const channel = String(create.response.channel.id);
    const invited = app.fake
      .callsTo('conversations.invite')
      .filter((c) => c.args.channel === channel)
      .map((c) => String(c.args.users));
    expect(invited).toContain('U0DAVE');
    const card = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    const ts = String(card[0].response.ts);
    const id = Number(/INC-(\d+)/.exec(json(card[0].args))![1]);
    expect(json(card[0].args)).toContain('staging');

    await app.click('incident.ack', String(id), { userId: 'U0DAVE', channelId: channel, messageTs: ts });
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === ts && json(c.args).includes('Acknowledged'),
    );

    await app.click('incident.resolve', String(id), { userId: 'U0DAVE', channelId: channel, messageTs: ts });
    const [resolveModal] = await app.fake.waitFor(
      (c) => c.method === 'views.open' && c.args.view?.callback_id === 'incident.resolve',
    );
    const body = viewSubmissionBody({
      callbackId: 'incident.resolve',
      userId: 'U0DAVE',
      privateMetadata: String(resolveModal.args.view.private_metadata),
      values: { summary: { value: 'Rebuilt the index' } },
    });
    expect((await postToSlackEndpoint(app.baseUrl, SIGNING_SECRET, body)).status).toBe(200);
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === ts && json(c.args).includes('Rebuilt the index'),
    );
    await app.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === channel);
    // Long after both submissions were handled: the second one made no channel of its own.
    expect(app.fake.callsTo('conversations.create').length).toBe(before + 1);
  }, 30_000);

  it('says which scope to add when Slack refuses to create the channel, and keeps the incident', async () => {
    app.fake.handle('conversations.create', () => ({
      ok: false,
      error: 'missing_scope',
      needed: 'channels:manage',
      provided: 'commands,chat:write',
    }));
    try {
      const reply = replyText(
        await app.ask('incident declare P2 Emails delayed', { userId: 'U0ALICE', channelId: 'C0OPS' }),
      );
      expect(reply).toContain('`channels:manage`');
      expect(reply).toContain('manifest.yml');
      const open = await app.runtime.services.incidents.listOpen();
      expect(open.some((i) => i.title === 'Emails delayed' && !i.channelId)).toBe(true);
    } finally {
      app.fake.handle('conversations.create', null);
    }
  });

  it('picks another channel name when the first is taken', async () => {
    const first = await app.ask('incident declare P2 Cache misses', { userId: 'U0ALICE', channelId: 'C0OPS' });
    expect(replyText(first)).toContain('Declared');
    await app.ask('incident declare P2 Cache misses', { userId: 'U0ALICE', channelId: 'C0OPS' });
    const names = app.fake.callsTo('conversations.create').filter((c) => String(c.args.name).includes('cache-misses'));
    expect(names.filter((c) => c.response.ok).map((c) => c.args.name)).toEqual([
      expect.stringMatching(/cache-misses$/),
      expect.stringMatching(/cache-misses-2$/),
    ]);
    expect(names.some((c) => c.response.error === 'name_taken')).toBe(true);
  });
});
