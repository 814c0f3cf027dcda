/** Outbound pagers for teams that keep one: a page in opsbot is forwarded, acknowledged and resolved there too. */

export type PageSeverity = 'P0' | 'P1' | 'P2' | 'P3' | 'P4';

export interface PageNotice {
  /** Stable per incident or alert ("opsbot-incident-42"), so acknowledge and resolve find it. */
  dedupKey: string;
  summary: string;
  severity: PageSeverity;
  /** Where the problem is (environment, host); default: the pager's configured source. */
  source?: string;
  details?: Record<string, string | number | boolean>;
  link?: { href: string; text?: string };
}

export interface PagerReceipt {
  pager: string;
  status: number;
  /** The key the pager filed it under (PagerDuty answers with it). */
  dedupKey?: string;
  /** Opsgenie's request id, for asking it what became of the request. */
  requestId?: string;
  attempts: number;
}

export interface Pager {
  readonly name: string;
  /** Whether this pager takes pages of this severity (config `severities`). */
  handles(severity: PageSeverity): boolean;
  trigger(notice: PageNotice): Promise<PagerReceipt>;
  acknowledge(dedupKey: string, by?: string): Promise<PagerReceipt>;
  resolve(dedupKey: string, by?: string): Promise<PagerReceipt>;
}

/** A pager that could not take the event: said in the incident channel as it is. */
export class PagerError extends Error {
  constructor(
    message: string,
    readonly pager: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'PagerError';
  }
}
