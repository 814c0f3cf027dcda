import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for PagerDuty's Events API v2 and Opsgenie's Alert API that
 * check requests the way the documented APIs do and answer in their shapes,
 * including their error bodies. `script()` queues answers (429, 503, a hang)
 * that take precedence over the normal ones.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON when the request had a JSON body, else the raw text. */
  body: unknown;
}

export type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

export interface FakePager {
  url: string;
  requests: RecordedRequest[];
  script(...answers: Scripted[]): void;
  close(): Promise<void>;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

async function startFake(handle: (req: RecordedRequest) => Answer): Promise<FakePager> {
  const requests: RecordedRequest[] = [];
  const queue: Scripted[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
    requests.push(recorded);
    const next = queue.shift();
    if (next === 'hang') {
      hanging.push(res);
      return;
    }
    const answer = next ?? handle(recorded);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...answers) => queue.push(...answers),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** POST /v2/enqueue: 202 {status, message, dedup_key}; 400 {status: "invalid event", message, errors}. */
export function startFakePagerDuty(routingKey: string): Promise<FakePager> {
  return startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/v2/enqueue') return { status: 404, body: { message: 'Not Found' } };
    const e = (req.body ?? {}) as {
      routing_key?: unknown;
      event_action?: string;
      dedup_key?: string;
      payload?: { summary?: string; source?: string; severity?: string };
    };
    const errors: string[] = [];
    if (typeof e.routing_key !== 'string' || e.routing_key.length !== 32)
      errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
    if (!['trigger', 'acknowledge', 'resolve'].includes(e.event_action ?? ''))
      errors.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
    if (e.event_action === 'trigger') {
      if (!e.payload?.summary) errors.push("'payload.summary' is missing or blank");
      if (!e.payload?.source) errors.push("'payload.source' is missing or blank");
      if (!PD_SEVERITIES.includes(e.payload?.severity ?? '')) errors.push("'payload.severity' is invalid");
    } else if (!e.dedup_key) errors.push("'dedup_key' is missing or blank");
    if (errors.length)
      return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
    if (e.routing_key !== routingKey)
      return {
        status: 400,
        body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] },
      };
    return {
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: e.dedup_key ?? randomUUID() },
    };
  });
}

/** POST /v2/alerts, /v2/alerts/{alias}/acknowledge|close?identifierType=alias, with Authorization: GenieKey. */
export function startFakeOpsgenie(apiKey: string): Promise<FakePager> {
  return startFake((req) => {
    const meta = () => ({ took: 0.002, requestId: randomUUID() });
    if (req.headers.authorization !== `GenieKey ${apiKey}`)
      return { status: 401, body: { message: 'Could not authenticate', ...meta() } };
    const url = new URL(req.path, 'http://fake');
    if (req.method === 'POST' && url.pathname === '/v2/alerts') {
      const message = (req.body as { message?: string } | undefined)?.message;
      if (!message)
        return {
          status: 422,
          body: {
            message: 'Request body is not processable. Please check the errors.',
            errors: { message: 'Message can not be empty.' },
            ...meta(),
          },
        };
      return { status: 202, body: { result: 'Request will be processed', ...meta() } };
    }
    const action = /^\/v2\/alerts\/([^/]+)\/(acknowledge|close)$/.exec(url.pathname);
    if (req.method === 'POST' && action) {
      if (url.searchParams.get('identifierType') !== 'alias')
        return { status: 404, body: { message: 'Alert with the given identifier not found', ...meta() } };
      return { status: 202, body: { result: 'Request will be processed', ...meta() } };
    }
    return { status: 404, body: { message: 'Not Found', ...meta() } };
  });
}
