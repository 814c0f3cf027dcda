import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { OpsConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { withTimeout } from '../errors.js';
import { PayloadError, fromSnsNotification, parseWebhookPayload } from './normalise.js';
import { isSnsUrl, type SnsVerifier } from './sns-verifier.js';
import { globMatch, type NormalizedAlert } from './types.js';

export const SNS_PATH = '/alerts/sns';
export const WEBHOOK_PATH = '/alerts/webhook';
const MAX_BODY = 512 * 1024;

/** Confirms an SNS subscription by GET of its SubscribeURL; injectable so tests need no network. */
export type SubscriptionConfirmer = (subscribeUrl: string) => Promise<void>;

export async function confirmOverHttps(url: string): Promise<void> {
  await withTimeout('SNS subscription confirmation', 5000, async (signal) => {
    const res = await fetch(url, { signal, redirect: 'error' });
    if (!res.ok) throw new Error(`SubscribeURL answered HTTP ${res.status}`);
  });
}

export interface IntakeDeps {
  config: OpsConfig;
  verifier: SnsVerifier;
  confirm: SubscriptionConfirmer;
  /**
   * Stores the alerts for the pipeline: one Redis write, so the HTTP answer stays fast. `ids` identify the
   * notifications (a redelivery carries the same ones). Rejects (bounded) when they could not be stored:
   * the intake then answers 503 with Retry-After, never 2xx for a notification it did not keep.
   */
  accept(alerts: NormalizedAlert[], ids?: string[]): Promise<void>;
  log: Logger;
}

class BodyTooLarge extends Error {}

/** The alerts could not be stored durably now; intake answers 503 with Retry-After so the sender retries. */
export class IntakeUnavailable extends Error {
  override name = 'IntakeUnavailable';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, headers = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Seconds a sender should wait before retrying a notification intake could not store. */
export const RETRY_AFTER_SECONDS = 5;

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function topicAllowed(config: OpsConfig, topicArn: string): boolean {
  return config.alerts.snsTopics.some((t) => t === topicArn || (t.includes('*') && globMatch(t, topicArn)));
}

/** POST /alerts/sns and POST /alerts/webhook, as Bolt custom routes (raw body, no Slack signature). */
export function intakeRoutes(deps: IntakeDeps): CustomRoute[] {
  const { log } = deps;
  const guarded =
    (name: string, fn: (req: IncomingMessage, res: ServerResponse) => Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse) => {
      fn(req, res).catch((err) => {
        if (err instanceof BodyTooLarge) return send(res, 413, { error: 'body too large' });
        // Nothing was stored: say so, and when to retry (Alertmanager honours it; SNS retries on its policy).
        if (err instanceof IntakeUnavailable) log.warn({ route: name }, String(err));
        else log.error({ err, route: name }, 'alert intake failed');
        send(
          res,
          503,
          { error: 'could not accept the alert now; retry' },
          { 'retry-after': String(RETRY_AFTER_SECONDS) },
        );
      });
    };

  const sns = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      log.warn({ route: SNS_PATH }, 'SNS request with a body that is not JSON rejected');
      return send(res, 400, { error: 'body is not JSON' });
    }
    const topic = String(body?.TopicArn ?? '');
    if (!topicAllowed(deps.config, topic)) {
      log.warn({ topic, type: body?.Type }, 'SNS message from a topic not in alerts.snsTopics rejected');
      return send(res, 403, { error: 'topic not accepted' });
    }
    const verdict = await deps.verifier.verify(body);
    if (!verdict.ok) {
      log.warn({ topic, type: body?.Type, reason: verdict.reason }, 'SNS message failed verification; not posted');
      return send(res, 403, { error: 'signature verification failed' });
    }
    const m = verdict.message;
    if (m.Type === 'SubscriptionConfirmation') {
      if (!isSnsUrl(m.SubscribeURL)) {
        log.warn({ topic }, 'SubscribeURL is not an SNS URL; not confirming');
        return send(res, 403, { error: 'SubscribeURL is not an SNS URL' });
      }
      await deps.confirm(m.SubscribeURL!);
      log.info({ topic }, 'SNS subscription confirmed');
      return send(res, 200, { confirmed: true });
    }
    if (m.Type === 'UnsubscribeConfirmation') {
      log.warn({ topic }, 'SNS unsubscribed this endpoint; alerts from this topic stop until it is subscribed again');
      return send(res, 200, { ok: true });
    }
    const alerts = fromSnsNotification(m, deps.config.environments);
    // SNS redelivers with the same MessageId: the job id and counting key make a redelivery count once.
    await deps.accept(
      alerts,
      alerts.map((_, i) => `sns-${String(m.MessageId).replace(/[^A-Za-z0-9_-]/g, '')}-${i}`),
    );
    return send(res, 202, { accepted: alerts.length });
  };

  const webhook = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const expected = deps.config.alerts.webhookToken;
    if (!expected) return send(res, 404, { error: 'the webhook is off: set alerts.webhookToken in ops.yml' });
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!sameSecret(given, expected)) {
      log.warn({ route: WEBHOOK_PATH }, 'webhook call without the right bearer token rejected');
      return send(res, 401, { error: 'missing or wrong bearer token' });
    }
    const raw = await readBody(req);
    let alerts: NormalizedAlert[];
    try {
      alerts = parseWebhookPayload(JSON.parse(raw), deps.config.environments, deps.config.alerts.severityWords);
    } catch (err) {
      const reason = err instanceof PayloadError ? err.message : 'body is not JSON';
      return send(res, 400, { error: reason });
    }
    // A sender retrying a request that got no answer (the bot killed mid-request) sends the same
    // Idempotency-Key: like an SNS MessageId, it makes the notification count once.
    const key = req.headers['idempotency-key'];
    const id = typeof key === 'string' && key ? createHash('sha256').update(key).digest('hex').slice(0, 32) : '';
    await deps.accept(alerts, id ? alerts.map((_, i) => `webhook-${id}-${i}`) : undefined);
    return send(res, 202, { accepted: alerts.length });
  };

  return [
    { path: SNS_PATH, method: 'POST', handler: guarded('sns', sns) },
    { path: WEBHOOK_PATH, method: 'POST', handler: guarded('webhook', webhook) },
  ];
}
