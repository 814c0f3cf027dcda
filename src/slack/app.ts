import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute, type RespondFn } from '@slack/bolt';
import type { RuntimeEnv } from '../config/runtime-env.js';
import type { Logger } from '../log.js';
import { boltLogger } from './bolt-logger.js';
import type { DeliveryGuard } from './delivery-guard.js';
import { deliveryId } from './delivery-guard.js';
import type { Dispatcher } from '../router/dispatcher.js';
import type { JobStarter } from './job-starter.js';
import { slackErrorCode, type SlackMessenger } from './messenger.js';
import { registerFeatureListeners, type FeatureListeners } from './feature-listeners.js';
import { toSlackMessage } from './render.js';
import { RUN_COMMAND_ACTION } from '../../views/jobs.js';
import { renderUserError } from '../../views/errors.js';
import type { Reply } from '../core/reply.js';
import type { SlackIdentity } from './identity.js';
import { InFlight } from './in-flight.js';

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

  // Ack first, then claim the delivery: the Redis round trip stays off Slack's 3-second clock.
  // Yielding to the event loop first lets requests that arrived together all be acknowledged
  // before any of them starts its work.
  const firstDelivery = async (
    body: unknown,
    context: { retryNum?: number; retryReason?: string },
  ): Promise<boolean> => {
    await new Promise((resolve) => setImmediate(resolve));
    const id = deliveryId(body as Record<string, unknown>);
    if (await deps.guard.claim(id)) return true;
    log.info({ retryNum: context.retryNum, retryReason: context.retryReason, id }, 'duplicate Slack delivery ignored');
    return false;
  };

  app.command(/^\/.+/, async ({ command, ack, respond, body, context }) => {
    await ack();
    if (!(await firstDelivery(body, context))) return;
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
    if (!(await firstDelivery(body, context))) return;
    const value = 'value' in action ? String(action.value ?? '') : '';
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

interface Delivery {
  text: string;
  userId: string;
  userName?: string;
  channelId?: string;
  triggerId?: string;
  respond: RespondFn;
  log: Logger;
  /** Replies to button clicks go only to the clicker, so a shared message is not buried in answers. */
  forceEphemeral?: boolean;
}

async function runAndDeliver(deps: SlackAppDeps, d: Delivery): Promise<void> {
  try {
    const result = await deps.dispatcher.dispatch({
      text: d.text,
      actor: { id: d.userId, name: d.userName },
      channelId: d.channelId,
      triggerId: d.triggerId,
      source: 'slack',
      log: d.log,
    });
    if (result.kind === 'job') {
      const { note } = await deps.jobStarter.start(result.request, result.ctx);
      if (note) await reply(d, note, deps);
      return;
    }
    await reply(d, result.reply, deps);
  } catch (err) {
    // Only Slack itself failing lands here (the dispatcher turns command errors into replies).
    d.log.error({ err }, 'could not deliver a reply to Slack');
    await d
      .respond({
        response_type: 'ephemeral',
        ...toSlackMessage(
          renderUserError(
            'opsbot could not post its reply in this channel. Invite it with `/invite @opsbot` and try again.',
          ),
        ),
      })
      .catch(() => undefined);
  }
}

async function reply(d: Delivery, r: Reply, deps: SlackAppDeps): Promise<void> {
  if (r.modal && d.triggerId) {
    try {
      await deps.messenger.client.views.open({ trigger_id: d.triggerId, view: r.modal });
    } catch (err) {
      // Slack gives 3 s to open a form; past that (or without the scope) say how to do without it.
      d.log.warn({ err }, 'could not open a modal');
      const why = slackErrorCode(err) ?? 'Slack did not answer';
      await d.respond({
        response_type: 'ephemeral',
        ...toSlackMessage(
          renderUserError(
            `The form could not be opened (${why}).`,
            'Type the arguments instead; `/ops help <command>` shows them.',
          ),
        ),
      });
    }
    return;
  }
  const ephemeral = d.forceEphemeral || r.ephemeral;
  await d.respond({ response_type: ephemeral ? 'ephemeral' : 'in_channel', ...toSlackMessage(r) });
  if (r.files?.length && d.channelId && !ephemeral) await deps.messenger.uploadFiles(d.channelId, r);
}
