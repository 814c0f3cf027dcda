import { runProbe } from './run-probe.js';
import type { ProbeResult } from './types.js';

export interface HttpProbeSpec {
  name: string;
  url: string;
  expectStatus: number;
}

/** GET the URL; healthy when the status is the expected one. Redirects are not followed: a 301 from a health URL is news. */
export function probeHttp(spec: HttpProbeSpec, timeoutMs: number): Promise<ProbeResult> {
  return runProbe({ name: spec.name, kind: 'http', target: spec.url }, timeoutMs, async (signal) => {
    const res = await fetch(spec.url, { signal, redirect: 'manual', headers: { 'user-agent': 'opsbot-health' } });
    await res.body?.cancel();
    const ok = res.status === spec.expectStatus;
    return { ok, detail: ok ? `HTTP ${res.status}` : `HTTP ${res.status}, expected ${spec.expectStatus}` };
  });
}
