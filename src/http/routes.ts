import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { withTimeout } from '../errors.js';
import { redactSecrets } from '../redact.js';
import type { Metrics } from './metrics.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** /healthz (process up), /readyz (Postgres and Redis answer), /metrics (Prometheus text). */
export function operationalRoutes(metrics: Metrics, readiness: ReadinessCheck[], timeoutMs = 2000): CustomRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        void Promise.all(
          readiness.map(async ({ name, check }) => {
            try {
              await withTimeout(name, timeoutMs, () => check());
              return undefined;
            } catch (err) {
              return `${name}: ${redactSecrets((err as Error).message || String(err))}`;
            }
          }),
        ).then((results) => {
          const down = results.filter((r): r is string => r !== undefined);
          sendJson(res, down.length ? 503 : 200, down.length ? { status: 'unavailable', down } : { status: 'ready' });
        });
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => {
        void metrics.registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': metrics.registry.contentType });
            res.end(text);
          },
          (err: Error) => sendJson(res, 500, { error: err.message }),
        );
      },
    },
  ];
}
