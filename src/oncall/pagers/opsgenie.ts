import { joinUrl, postJson, type DeliveryOptions } from './http.js';
import type { PageNotice, PageSeverity, Pager, PagerReceipt } from './types.js';

/**
 * Opsgenie Alert API (and Jira Service Management's, which keeps its shape at
 * https://api.atlassian.com/jsm/ops/integration): POST /v2/alerts with an
 * alias for de-duplication, then /v2/alerts/{alias}/acknowledge|close
 * ?identifierType=alias. Requests carry `Authorization: GenieKey <key>`; the
 * API answers 202 {result, took, requestId} and processes it asynchronously;
 * errors are {message, errors?, took, requestId} (401, 403, 404, 422, 429, 5xx).
 */

export interface OpsgenieOptions extends DeliveryOptions {
  apiKey: string;
  /** https://api.opsgenie.com, https://api.eu.opsgenie.com, the JSM URL, or a local fake. */
  baseUrl: string;
  source: string;
  tags: string[];
  severities: PageSeverity[];
  /** Shown as the alert's own name for the pager; Opsgenie says Opsgenie, JSM users may prefer that name. */
  name?: string;
}

/** opsbot P0 (complete outage) is Opsgenie's P1 (critical), down to P4 → P5 (informational). */
const PRIORITY: Record<PageSeverity, 'P1' | 'P2' | 'P3' | 'P4' | 'P5'> = {
  P0: 'P1',
  P1: 'P2',
  P2: 'P3',
  P3: 'P4',
  P4: 'P5',
};

export class OpsgeniePager implements Pager {
  readonly name: string;

  constructor(private readonly options: OpsgenieOptions) {
    this.name = options.name ?? 'Opsgenie';
  }

  handles(severity: PageSeverity): boolean {
    return this.options.severities.includes(severity);
  }

  trigger(notice: PageNotice): Promise<PagerReceipt> {
    const details = Object.fromEntries(Object.entries(notice.details ?? {}).map(([k, v]) => [k, String(v)]));
    if (notice.link) details.link = notice.link.href;
    return this.send('/v2/alerts', {
      message: notice.summary.slice(0, 130),
      alias: notice.dedupKey.slice(0, 512),
      description: notice.summary.length > 130 ? notice.summary.slice(0, 15000) : undefined,
      priority: PRIORITY[notice.severity],
      source: notice.source ?? this.options.source,
      tags: this.options.tags.length ? this.options.tags : undefined,
      details,
    });
  }

  acknowledge(dedupKey: string, by?: string): Promise<PagerReceipt> {
    return this.send(`/v2/alerts/${encodeURIComponent(dedupKey)}/acknowledge?identifierType=alias`, {
      user: by,
      source: this.options.source,
      note: by ? `Acknowledged in Slack by ${by}` : 'Acknowledged in Slack',
    });
  }

  resolve(dedupKey: string, by?: string): Promise<PagerReceipt> {
    return this.send(`/v2/alerts/${encodeURIComponent(dedupKey)}/close?identifierType=alias`, {
      user: by,
      source: this.options.source,
      note: by ? `Resolved in Slack by ${by}` : 'Resolved in Slack',
    });
  }

  private async send(path: string, body: Record<string, unknown>): Promise<PagerReceipt> {
    const res = await postJson(
      this.name,
      joinUrl(this.options.baseUrl, path),
      body,
      { authorization: `GenieKey ${this.options.apiKey}` },
      this.options,
      describeError,
    );
    const answer = (res.body ?? {}) as { requestId?: string };
    return { pager: this.name, status: res.status, requestId: answer.requestId, attempts: res.attempts };
  }
}

function describeError(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: string; errors?: Record<string, string> };
    const errors = b.errors && typeof b.errors === 'object' ? `: ${Object.values(b.errors).join('; ')}` : '';
    return `${b.message ?? 'error'}${errors}`;
  }
  if (status === 401) return 'the API key was not accepted';
  return typeof body === 'string' && body ? body : 'no details';
}
