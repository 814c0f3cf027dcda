import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute } from '@slack/bolt';
import type { RuntimeEnv } from '../config/runtime-env.js';
import type { Logger } from '../log.js';
import { boltLogger } from './bolt-logger.js';
import type { DeliveryGuard } from './delivery-guard.js';
import { firstDeliveryOf } from './first-delivery.js';
import type { Dispatcher } from '../router/dispatcher.js';
import type { JobStarter } from './job-starter.js';
import type { SlackMessenger } from './messenger.js';
import { registerFeatureListeners, type FeatureListeners } from './feature-listeners.js';
import { RUN_COMMAND_ACTION } from '../../views/jobs.js';
import type { SlackIdentity } from './identity.js';
import { InFlight } from './in-flight.js';
import { runAndDeliver } from './deliver.js';
import { registerMessageCommands } from './message-commands.js';

export interface SlackAppDeps {
  runtime: RuntimeEnv;
  dispatcher: Dispatcher;
  jobStarter: JobStarter;
  messenger: SlackMessenger;
  guard: DeliveryGuard;
  routes: CustomRoute[];
  /** Buttons, modals and events contributed by features (approvals, incidents, alerts, checklists). */
  listeners: FeatureListeners;
  /** auth.test in the background with backoff: a Slack outage at start must not kill the process. */
  identity: SlackIdentity;
  log: Logger;
}

export interface SlackApp {
  app: App;
  /** Resolves with the HTTP port actually bound (useful with PORT=0). */
  start(): Promise<number>;
  /** Stops taking requests (closes the server or the socket); listener work already started goes on. */
  stop(): Promise<void>;
  /** Listener work still running after its ack (replies, button effects); `idle` waits for it, bounded. */
  inFlight: InFlight;
}

/**
 * The Bolt app: HTTP receiver on PORT (or Socket Mode when SLACK_APP_TOKEN is
 * set), /ops and button clicks routed through the Dispatcher, operational
 * routes served beside /slack/events. Every listener acks first, then works.
 */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { runtime, log } = deps;
  const logger = boltLogger(log);
  const socketMode = Boolean(runtime.slackAppToken);
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: runtime.slackAppToken!,
        // The watchdog: a connection that hears no ping from Slack for this long (or no pong to ours within 5 s)
        // is closed and a new one opened; envelopes Slack did not get an ack for are delivered again on it.
        serverPingTimeout: runtime.socketPingTimeoutMs ?? 30_000,
        clientPingTimeout: 5_000,
        customRoutes: deps.routes,
        // apps.connections.open must go to SLACK_API_URL too, like every other Web API call.
        installerOptions: { port: runtime.port, clientOptions: { slackApiUrl: runtime.slackApiUrl } },
        logger,
      })
    : new HTTPReceiver({
        signingSecret: runtime.slackSigningSecret!,
        endpoints: '/slack/events',
        customRoutes: deps.routes,
        processBeforeResponse: false,
        logger,
      });
  const app = new App({
    // `authorize` instead of `token`: Bolt would run auth.test in its constructor and crash on its failure.
    authorize: deps.identity.authorize,
    receiver,
    logger,
    clientOptions: {
      slackApiUrl: runtime.slackApiUrl,
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 },
    },
  });

  // Every listener's work, from receipt to its last reply, so a shutdown can wait for it (src/runtime.ts close).
  const inFlight = new InFlight();
  app.use(({ next }) => inFlight.track(next));

  // Ack first, then claim the delivery: the Redis (or Postgres) round trip stays off Slack's 3-second clock.
  const firstDelivery = firstDeliveryOf(deps.guard, log);

  app.command(/^\/.+/, async ({ command, ack, respond, body, context }) => {
    await ack();
    if (!(await firstDelivery(body, context, { text: command.text, respond }))) return;
    const requestLog = log.child({
      requestId: randomUUID().slice(0, 8),
      user: command.user_id,
      channel: command.channel_id,
    });
    await runAndDeliver(deps, {
      text: command.text,
      userId: command.user_id,
      userName: command.user_name,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      respond,
      log: requestLog,
    });
  });

  app.action(RUN_COMMAND_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    const value = 'value' in action ? String(action.value ?? '') : '';
    if (!(await firstDelivery(body, context, { text: value, respond }))) return;
    const channelId = 'channel' in body && body.channel ? body.channel.id : undefined;
    const requestLog = log.child({
      requestId: randomUUID().slice(0, 8),
      user: body.user.id,
      action: RUN_COMMAND_ACTION,
    });
    const triggerId = 'trigger_id' in body ? String(body.trigger_id) : undefined;
    await runAndDeliver(deps, {
      text: value,
      userId: body.user.id,
      userName: body.user.name,
      channelId,
      triggerId,
      respond,
      log: requestLog,
      forceEphemeral: true,
    });
  });

  registerFeatureListeners(app, deps.listeners, firstDelivery, log);
  registerMessageCommands(app, deps, firstDelivery);

  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  let server: Server | undefined;
  return {
    app,
    inFlight,
    async start() {
      deps.identity.start();
      if (socketMode) {
        await app.start();
        return runtime.port;
      }
      server = (await app.start(runtime.port)) as Server;
      const address = server.address();
      return typeof address === 'object' && address ? address.port : runtime.port;
    },
    async stop() {
      deps.identity.stop();
      await app.stop();
    },
  };
}
