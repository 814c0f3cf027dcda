import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { newTriggerId } from '../support/slack-request.js';
import { createTestDatabase, createTestRedis } from '../support/databases.js';

/**
 * Socket Mode as Slack runs it: apps.connections.open (on SLACK_API_URL) hands
 * out a WebSocket URL; Slack sends `hello`, then envelopes; the app must answer
 * each envelope_id (its ack) and reply through the response_url.
 */
describe('Socket Mode', () => {
  let wss: WebSocketServer;
  let fake: FakeSlack;
  let app: TestApp;
  let socket: WebSocket;
  const fromApp: Record<string, unknown>[] = [];

  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
    fake = await startFakeSlack();
    fake.handle('apps.connections.open', () => ({ url: wsUrl }));
    const connected = new Promise<WebSocket>((resolve) =>
      wss.once('connection', (ws) => {
        ws.on('message', (data) => fromApp.push(JSON.parse(String(data))));
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0OPSBOT' } }));
        resolve(ws);
      }),
    );
    app = await TestApp.start({
      env: { slackAppToken: 'xapp-1-A0OPSBOT-test', slackSigningSecret: undefined },
      reuse: { fake, db: await createTestDatabase(), redis: createTestRedis() },
    });
    socket = await Promise.race([
      connected,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the app never opened the WebSocket')), 10_000),
      ),
    ]);
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
    for (const client of wss?.clients ?? []) client.terminate();
    await new Promise((resolve) => wss?.close(resolve));
  });

  it('opens the connection through SLACK_API_URL with the app-level token', () => {
    const [open] = fake.callsTo('apps.connections.open');
    expect(open.token).toBe('xapp-1-A0OPSBOT-test');
  });

  it('acknowledges a slash command envelope and replies through its response_url', async () => {
    const responseUrl = app.fake.responseUrl('socket-help');
    socket.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          command: '/ops',
          text: 'help',
          user_id: 'U0SOCKET',
          user_name: 'sock',
          channel_id: 'C0OPS',
          team_id: 'T0FAKETEAM',
          response_url: responseUrl,
          trigger_id: newTriggerId(),
        },
      }),
    );
    await waitUntil('the envelope to be acknowledged', () => fromApp.some((m) => m.envelope_id === 'env-1'), {
      timeoutMs: 5000,
      intervalMs: 25,
    });
    const [reply] = await app.fake.waitForResponse((p) => p.id === 'socket-help');
    expect(replyText(reply.body)).toContain('/ops health');
    const audit = await app.runtime.services.audit.recent(5);
    expect(audit.find((a) => a.actorId === 'U0SOCKET')?.command).toBe('help');
  });
});
