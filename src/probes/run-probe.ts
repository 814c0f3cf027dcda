import { redactSecrets } from '../redact.js';
import { TimeoutError, withTimeout } from '../errors.js';
import type { ProbeResult } from './types.js';

/** Times one check, converts any failure (including a timeout) into a failed result with a readable reason. */
export async function runProbe(
  base: Pick<ProbeResult, 'name' | 'kind' | 'target'>,
  timeoutMs: number,
  check: (signal: AbortSignal) => Promise<{ ok: boolean; detail: string }>,
): Promise<ProbeResult> {
  const started = performance.now();
  const target = redactSecrets(base.target);
  try {
    const outcome = await withTimeout(base.name, timeoutMs, check);
    return {
      ...base,
      target,
      ...outcome,
      detail: redactSecrets(outcome.detail),
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    const detail = err instanceof TimeoutError ? err.message : describeError(err);
    return {
      ...base,
      target,
      ok: false,
      detail: redactSecrets(detail),
      latencyMs: Math.round(performance.now() - started),
    };
  }
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
  const reason = err.message === 'fetch failed' && err.cause instanceof Error ? err.cause.message : err.message;
  return code && !reason.includes(code) ? `${reason} (${code})` : reason;
}
