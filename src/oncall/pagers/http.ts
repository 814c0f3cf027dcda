import { PagerError } from './types.js';

export interface DeliveryOptions {
  timeoutMs: number;
  /** Further attempts after the first, on 429, 5xx, timeouts and network errors. */
  retries: number;
  /** First pause; doubled each retry (500 ms, 1 s, 2 s, …); a Retry-After header wins, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Delivered {
  status: number;
  body: unknown;
  attempts: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * POSTs JSON with a timeout per attempt and retries with backoff where the API
 * says retrying helps. Any other non-2xx answer is final. `describe` turns an
 * error body into the words the pager used ("Event object is invalid: …").
 */
export async function postJson(
  pager: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  options: DeliveryOptions,
  describe: (status: number, body: unknown) => string,
): Promise<Delivered> {
  const sleep = options.sleep ?? wait;
  const base = options.backoffMs ?? 500;
  const cap = options.maxBackoffMs ?? 30_000;
  let last = '';
  let lastStatus: number | undefined;
  for (let attempt = 1; attempt <= options.retries + 1; attempt++) {
    let pause = Math.min(base * 2 ** (attempt - 1), cap);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await res.text();
      const parsed = parse(text);
      if (res.ok) return { status: res.status, body: parsed, attempts: attempt };
      lastStatus = res.status;
      last = `HTTP ${res.status}: ${describe(res.status, parsed)}`;
      if (res.status !== 429 && res.status < 500) {
        throw new PagerError(`${pager} refused the event (${last})`, pager, res.status, false, attempt);
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) pause = Math.min(retryAfter * 1000, cap);
    } catch (err) {
      if (err instanceof PagerError) throw err;
      const name = (err as Error).name;
      lastStatus = undefined;
      last =
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${options.timeoutMs} ms`
          : `cannot reach ${new URL(url).host}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`;
    }
    if (attempt <= options.retries) await sleep(pause);
  }
  const tries = options.retries + 1;
  throw new PagerError(
    `${pager} is not taking events (${last}) after ${tries} attempt${tries === 1 ? '' : 's'}`,
    pager,
    lastStatus,
    true,
    tries,
  );
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 300);
  }
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
