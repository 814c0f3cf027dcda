import { joinUrl, postJson, type DeliveryOptions } from './http.js';
import type { PageNotice, PageSeverity, Pager, PagerReceipt } from './types.js';

/**
 * PagerDuty Events API v2: POST /v2/enqueue with routing_key, event_action
 * (trigger, acknowledge, resolve) and dedup_key; a trigger carries payload
 * {summary, source, severity}. PagerDuty answers 202 {status, message,
 * dedup_key}; 400 {status: "invalid event", message, errors[]} is final;
 * 429 and 5xx are retried.
 */

export interface PagerDutyOptions extends DeliveryOptions {
  routingKey: string;
  /** https://events.pagerduty.com, or a local fake in tests. */
  baseUrl: string;
  source: string;
  severities: PageSeverity[];
}

/** P0/P1 page someone (critical); P2 is an error, P3 a warning, P4 information. */
const SEVERITY: Record<PageSeverity, 'critical' | 'error' | 'warning' | 'info'> = {
  P0: 'critical',
  P1: 'critical',
  P2: 'error',
  P3: 'warning',
  P4: 'info',
};

export class PagerDutyPager implements Pager {
  readonly name = 'PagerDuty';

  constructor(private readonly options: PagerDutyOptions) {}

  handles(severity: PageSeverity): boolean {
    return this.options.severities.includes(severity);
  }

  trigger(notice: PageNotice): Promise<PagerReceipt> {
    return this.send({
      event_action: 'trigger',
      dedup_key: notice.dedupKey,
      payload: {
        summary: notice.summary.slice(0, 1024),
        source: notice.source ?? this.options.source,
        severity: SEVERITY[notice.severity],
        timestamp: new Date().toISOString(),
        custom_details: { opsbot_severity: notice.severity, ...notice.details },
      },
      ...(notice.link ? { links: [{ href: notice.link.href, text: notice.link.text ?? notice.link.href }] } : {}),
    });
  }

  acknowledge(dedupKey: string): Promise<PagerReceipt> {
    return this.send({ event_action: 'acknowledge', dedup_key: dedupKey });
  }

  resolve(dedupKey: string): Promise<PagerReceipt> {
    return this.send({ event_action: 'resolve', dedup_key: dedupKey });
  }

  private async send(event: Record<string, unknown>): Promise<PagerReceipt> {
    const url = joinUrl(this.options.baseUrl, '/v2/enqueue');
    const res = await postJson(
      this.name,
      url,
      { routing_key: this.options.routingKey, ...event },
      {},
      this.options,
      describeError,
    );
    const body = (res.body ?? {}) as { dedup_key?: string };
    return { pager: this.name, status: res.status, dedupKey: body.dedup_key, attempts: res.attempts };
  }
}

function describeError(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { status?: string; message?: string; errors?: string[] };
    const errors = Array.isArray(b.errors) && b.errors.length ? `: ${b.errors.join('; ')}` : '';
    return `${b.message ?? b.status ?? 'error'}${errors}`;
  }
  if (status === 429) return 'too many events, rate limited';
  return typeof body === 'string' && body ? body : 'no details';
}
