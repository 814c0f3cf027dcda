import { probeHttp, type HttpProbeSpec } from './http.js';
import { probePostgres } from './postgres.js';
import { probeRedis } from './redis.js';
import type { ProbeResult } from './types.js';

export type { ProbeResult };

/** The probes handed to commands through ctx.services; tests can swap any of them. */
export interface Probes {
  http(spec: HttpProbeSpec, timeoutMs: number): Promise<ProbeResult>;
  postgres(name: string, url: string, timeoutMs: number): Promise<ProbeResult>;
  redis(name: string, url: string, timeoutMs: number): Promise<ProbeResult>;
}

export const realProbes: Probes = { http: probeHttp, postgres: probePostgres, redis: probeRedis };
