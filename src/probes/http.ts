import { runProbe } from './run-probe.js';
import type { ProbeResult } from './types.js';

export type JsonExpectation = Record<string, string | number | boolean | null>;

export interface HttpProbeSpec {
  name: string;
  url: string;
  expectStatus: number;
  /** Body fields that must have these values (dotted paths allowed), e.g. { status: 'ok' } (the Invoice guide). */
  expectJson?: JsonExpectation;
}

/** A health body is small; a larger one is not read further. */
const MAX_BODY_BYTES = 64 * 1024;

/** GET the URL; healthy when the status is the expected one. Redirects are not followed: a 301 from a health URL is news. */
export function probeHttp(spec: HttpProbeSpec, timeoutMs: number): Promise<ProbeResult> {
  return runProbe({ name: spec.name, kind: 'http', target: spec.url }, timeoutMs, async (signal) => {
    const res = await fetch(spec.url, { signal, redirect: 'manual', headers: { 'user-agent': 'opsbot-health' } });
    if (res.status !== spec.expectStatus) {
      await res.body?.cancel();
      return { ok: false, detail: `HTTP ${res.status}, expected ${spec.expectStatus}` };
    }
    if (!spec.expectJson || Object.keys(spec.expectJson).length === 0) {
      await res.body?.cancel();
      return { ok: true, detail: `HTTP ${res.status}` };
    }
    const mismatch = checkJson(await readLimited(res), spec.expectJson);
    return mismatch
      ? { ok: false, detail: `HTTP ${res.status}, but ${mismatch}` }
      : { ok: true, detail: `HTTP ${res.status}, ${describeExpectation(spec.expectJson)}` };
  });
}

async function readLimited(res: Response): Promise<string> {
  const text = await res.text();
  return text.length > MAX_BODY_BYTES ? text.slice(0, MAX_BODY_BYTES) : text;
}

function describeExpectation(expect: JsonExpectation): string {
  return Object.entries(expect)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

/** Undefined when the body has every expected field; otherwise what was wrong, in words. */
export function checkJson(body: string, expect: JsonExpectation): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `the body is not JSON (expected ${describeExpectation(expect)})`;
  }
  for (const [path, want] of Object.entries(expect)) {
    const got = path
      .split('.')
      .reduce<unknown>(
        (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
        parsed,
      );
    if (got === undefined) return `the body has no "${path}" (expected ${JSON.stringify(want)})`;
    // ops.yml may say `status: ok` or `ok: true`; a body field "true" or 1 compares as written.
    if (got !== want && String(got) !== String(want))
      return `"${path}" is ${JSON.stringify(got).slice(0, 80)}, expected ${JSON.stringify(want)}`;
  }
  return undefined;
}
