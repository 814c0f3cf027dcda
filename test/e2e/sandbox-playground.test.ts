// The playground's Slack emulation without a browser: what a person does on the
// page becomes the signed request Slack would send, and the bot's answers land
// in the right channel, for the right person (ephemeral), in modals and new channels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Playground } from '../../src/sandbox/playground/feature.js';
import { PEOPLE } from '../../src/sandbox/playground/workspace.js';
import { startFakeSlack } from '../support/fake-slack.js';
import { createTestDatabase, createTestRedis } from '../support/databases.js';
import { SIGNING_SECRET, TestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const [alice, bob] = PEOPLE.map((p) => ({ id: p.id, name: p.name }));

describe('playground ↔ bot, the way Slack talks to it', () => {
  let app: TestApp;
  let playground: Playground;

  beforeAll(async () => {
    const fake = await startFakeSlack();
    app = await TestApp.start({ reuse: { fake, db: await createTestDatabase(), redis: createTestRedis() } });
    playground = new Playground({
      fake,
      signingSecret: SIGNING_SECRET,
      eventsUrl: () => `${app.baseUrl}/slack/events`,
    });
  });
  afterAll(async () => {
    playground?.close();
    await app?.stop();
  });

  it('a slash command answers ephemerally: Alice sees it, Bob does not', async () => {
    const out = await playground.perform('command', { channel: 'C0OPS', text: '/ops help' }, alice);
    expect(out).toMatchObject({ ok: true, status: 200 });
    const w = playground.workspace;
    const reply = await waitUntil('the help reply', () =>
      w.timeline('C0OPS', alice.id).find((e) => e.bot && e.ephemeral),
    );
    expect(JSON.stringify(reply.blocks)).toContain('health');
    expect(w.timeline('C0OPS', alice.id).find((e) => !e.bot)?.text).toBe('/ops help');
    expect(w.timeline('C0OPS', bob.id).some((e) => e.bot && e.ephemeral)).toBe(false);
  });

  it('a bad signature would be refused: the playground signs with the bot’s secret', async () => {
    const wrong = new Playground({
      fake: app.fake,
      signingSecret: 'not-the-secret',
      eventsUrl: () => `${app.baseUrl}/slack/events`,
    });
    try {
      expect(await wrong.perform('command', { channel: 'C0OPS', text: '/ops help' }, alice)).toMatchObject({
        ok: false,
        status: 401,
      });
    } finally {
      wrong.close();
    }
  });

  it('a modal opens for the person who asked, and submitting it creates the incident channel', async () => {
    const w = playground.workspace;
    await playground.perform('command', { channel: 'C0OPS', text: '/ops incident declare' }, alice);
    const view = await waitUntil('the declare modal', () => w.openView(alice.id));
    expect(view.callback_id).toBe('incident.declare');
    expect(w.openView(bob.id)).toBeUndefined();

    const values = {
      title: { value: { type: 'plain_text_input', value: 'Checkout is failing' } },
      severity: {
        value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'P1' }, value: 'P1' } },
      },
      environment: {
        value: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'prod' }, value: 'prod' },
        },
      },
    };
    const out = await playground.perform('submit', { viewId: view.id, values }, alice);
    expect(out.ok).toBe(true);
    expect(w.openView(alice.id)).toBeUndefined();
    const channel = await waitUntil('the incident channel', () =>
      w.channels().find((c) => c.name.includes('checkout')),
    );
    expect(channel.id).toMatch(/^C/);
  });
});
