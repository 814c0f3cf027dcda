// The message shortcut "Open incident from this message" and the global shortcut "Declare incident":
// signed shortcut payloads against the real app and the fake Slack, through the declaration modal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, SIGNING_SECRET } from '../support/test-app.js';
import { postToSlackEndpoint, shortcutBody, viewSubmissionBody } from '../support/slack-request.js';
import { waitUntil } from '../support/wait.js';
import { DECLARE_SHORTCUT, MESSAGE_INCIDENT_SHORTCUT, titleFrom } from '../../src/incidents/shortcuts.js';

const CONFIG = `
environments:
  prod: {}
channels: { incidents: C0INCIDENTS }
access:
  roles:
    responders: { users: [U0ALICE] }
  rules:
    - commands: [incident declare]
      allow: [responders]
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type View = any;

describe('incident shortcuts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
  });
  afterAll(async () => app?.stop());

  const send = async (body: string) => {
    const res = await postToSlackEndpoint(app.baseUrl, SIGNING_SECRET, body);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
  };
  const opened = async (triggerId: string): Promise<View> => {
    const [call] = await app.fake.waitFor((c) => c.method === 'views.open' && c.args.trigger_id === triggerId);
    expect(call.response.ok).toBe(true);
    return call.args.view as View;
  };
  const input = (view: View, blockId: string) =>
    view.blocks.find((b: { block_id?: string }) => b.block_id === blockId).element;

  it('opens the declare form filled in from the message, declares, and links the message in the timeline', async () => {
    const ts = '1764651000.000200';
    const text = '*Checkout* is returning 502s for <https://shop.example|the shop>\nstarted around 10:02';
    (app.fake.messages.C0SUPPORT ??= []).push({ ts, text, user: 'U0CAROL', updates: 0 });
    const triggerId = '111.222.aaaabbbbccccddddeeeeffff00001111';
    await send(
      shortcutBody({
        callbackId: MESSAGE_INCIDENT_SHORTCUT,
        userId: 'U0ALICE',
        triggerId,
        message: { channelId: 'C0SUPPORT', ts, text, user: 'U0CAROL' },
      }),
    );
    const view = await opened(triggerId);
    expect(view.callback_id).toBe('incident.declare');
    expect(input(view, 'title').initial_value).toBe('Checkout is returning 502s for the shop');
    const permalink = 'https://fake-workspace.slack.com/archives/C0SUPPORT/p1764651000000200';
    expect(input(view, 'description').initial_value).toContain(permalink);
    expect(input(view, 'description').initial_value).toContain('<@U0CAROL> wrote');
    const meta = JSON.parse(view.private_metadata);
    expect(meta.source).toEqual({ channel: 'C0SUPPORT', ts, permalink });

    await send(
      viewSubmissionBody({
        callbackId: 'incident.declare',
        userId: 'U0ALICE',
        privateMetadata: view.private_metadata,
        values: {
          title: { value: input(view, 'title').initial_value },
          severity: { value: { type: 'static_select', selected_option: { value: 'P2' } } },
          description: { value: input(view, 'description').initial_value },
        },
      }),
    );
    const incident = await waitUntil('the incident from the message', async () =>
      (await app.runtime.services.incidents.listOpen()).find((i) => i.title.startsWith('Checkout is returning')),
    );
    const timeline = await app.runtime.services.incidents.timeline(incident.id);
    const link = timeline.find((e) => e.text.includes(permalink));
    expect(link?.text).toContain('<#C0SUPPORT>');
    expect(link?.actorId).toBe('U0ALICE');
  });

  it('checks access before opening the form, like the alert card’s Open incident button', async () => {
    const ts = '1764651000.000300';
    (app.fake.messages.C0SUPPORT ??= []).push({ ts, text: 'db is slow', user: 'U0CAROL', updates: 0 });
    const triggerId = '111.222.aaaabbbbccccddddeeeeffff00002222';
    await send(
      shortcutBody({
        callbackId: MESSAGE_INCIDENT_SHORTCUT,
        userId: 'U0MALLORY',
        triggerId,
        message: { channelId: 'C0SUPPORT', ts, text: 'db is slow' },
      }),
    );
    const [refusal] = await app.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0MALLORY');
    expect(refusal.args.channel).toBe('C0SUPPORT');
    expect(JSON.stringify(refusal.args)).toContain('limited to the `responders` role');
    expect(app.fake.callsTo('views.open').some((c) => c.args.trigger_id === triggerId)).toBe(false);
  });

  it('the global shortcut opens an empty declare form; a refusal goes to a DM', async () => {
    const triggerId = '111.222.aaaabbbbccccddddeeeeffff00003333';
    await send(shortcutBody({ callbackId: DECLARE_SHORTCUT, userId: 'U0ALICE', triggerId }));
    const view = await opened(triggerId);
    expect(input(view, 'title').initial_value).toBeUndefined();
    expect(JSON.parse(view.private_metadata)).toEqual({ key: `shortcut:${triggerId}` });
    await send(shortcutBody({ callbackId: DECLARE_SHORTCUT, userId: 'U0MALLORY' }));
    const [dm] = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U0MALLORY');
    expect(JSON.stringify(dm.args)).toContain('limited to the `responders` role');
  });

  it('titles read a message’s first line as text', () => {
    expect(titleFrom('\n  <@U0BOB|bob> says *API* is _down_ <#C1|ops>\nmore')).toBe('bob says API is down ops');
    expect(titleFrom('x'.repeat(200))).toHaveLength(150);
  });
});
