import { probeHttp, type HttpProbeSpec } from './http.js';
import { probePostgres } from './postgres.js';
import { RedisProbe } from './redis.js';
import type { ProbeResult } from './types.js';

export type { ProbeResult };

/** The probes handed to commands through ctx.services; tests can swap any of them. */
export interface Probes {
  http(spec: HttpProbeSpec, timeoutMs: number): Promise<ProbeResult>;
  postgres(name: string, url: string, timeoutMs: number): Promise<ProbeResult>;
  redis(name: string, url: string, timeoutMs: number): Promise<ProbeResult>;
  /** Releases connections kept between probes. */
  close?(): void;
}

export function createProbes(): Probes {
  const redis = new RedisProbe();
  return {
    http: probeHttp,
    postgres: probePostgres,
    redis: (name, url, timeoutMs) => redis.probe(name, url, timeoutMs),
    close: () => redis.close(),
  };
}
