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
 * A Socket Mode connection that goes quiet (Slack stops pinging: a half-open TCP connection, a proxy that
 * dropped it) is detected and replaced through apps.connections.open; an envelope Slack delivers again on the
 * new connection after no ack (its retry) runs once.
 */
describe('Socket Mode watchdog', () => {
  let wss: WebSocketServer;
  let fake: FakeSlack;
  let app: TestApp;
  const sockets: WebSocket[] = [];
  const fromApp: Record<string, unknown>[] = [];
  /** Pings the app sent on each connection (its own heartbeat, every ~1.7 s). */
  const appPings = new Map<WebSocket, number>();
  let pinging: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
    wss.on('connection', (ws) => {
      sockets.push(ws);
      ws.on('ping', () => appPings.set(ws, (appPings.get(ws) ?? 0) + 1));
      ws.on('message', (data) => fromApp.push(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0OPSBOT' } }));
    });
    fake = await startFakeSlack();
    fake.handle('apps.connections.open', () => ({ url: wsUrl }));
    app = await TestApp.start({
      env: { slackAppToken: 'xapp-1-A0OPSBOT-test', slackSigningSecret: undefined, socketPingTimeoutMs: 1500 },
      reuse: { fake, db: await createTestDatabase(), redis: createTestRedis() },
    });
    await waitUntil('the first WebSocket', () => sockets.length === 1);
  }, 30_000);

  afterAll(async () => {
    clearInterval(pinging);
    await app?.stop();
    for (const client of wss?.clients ?? []) client.terminate();
    await new Promise((resolve) => wss?.close(resolve));
  });

  const helpEnvelope = (envelopeId: string, responseId: string, triggerId: string) =>
    JSON.stringify({
      envelope_id: envelopeId,
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        command: '/ops',
        text: 'help',
        user_id: 'U0SOCKET',
        user_name: 'sock',
        channel_id: 'C0OPS',
        team_id: 'T0FAKETEAM',
        response_url: fake.responseUrl(responseId),
        trigger_id: triggerId,
      },
    });

  it('keeps a connection that Slack pings', { timeout: 20_000 }, async () => {
    const first = sockets[0];
    pinging = setInterval(() => first.ping(), 300);
    // Three heartbeats of the app's own (about 5 s, over three of the 1.5 s timeouts): still the only connection.
    await waitUntil('three pings from the app', () => (appPings.get(first) ?? 0) >= 3, { timeoutMs: 15_000 });
    expect(sockets).toHaveLength(1);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
  });

  it('replaces a connection that stops hearing pings, and runs a re-delivered envelope once', async () => {
    clearInterval(pinging);
    await waitUntil('a second WebSocket', () => sockets.length === 2, { timeoutMs: 10_000 });
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    const second = sockets[1];
    pinging = setInterval(() => second.ping(), 300);

    // Slack re-sends an envelope that was not acknowledged (new envelope id, same payload): one reply.
    const trigger = newTriggerId();
    second.send(helpEnvelope('env-a', 'after-reconnect', trigger));
    second.send(helpEnvelope('env-b', 'after-reconnect', trigger));
    await waitUntil('both envelopes acknowledged', () =>
      ['env-a', 'env-b'].every((id) => fromApp.some((m) => m.envelope_id === id)),
    );
    const [reply] = await fake.waitForResponse((p) => p.id === 'after-reconnect');
    expect(replyText(reply.body)).toContain('/ops health');
    await waitUntil('the duplicate to be logged as ignored', () =>
      app.logs.lines.some((l) => l.includes('duplicate Slack delivery ignored')),
    );
    expect(fake.responses.filter((p) => p.id === 'after-reconnect')).toHaveLength(1);
  }, 20_000);
});
