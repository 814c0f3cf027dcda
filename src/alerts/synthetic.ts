import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { OpsConfig } from '../config/schema.js';
import type { Severity } from '../core/severity.js';
import type { Probes, ProbeResult } from '../probes/index.js';
import type { NormalizedAlert } from './types.js';

/** A health probe with `every`: probed on that schedule, alerting after `failAfter` failures in a row. */
export interface SyntheticCheck {
  env: string;
  name: string;
  url: string;
  expectStatus: number;
  expectJson?: Record<string, string | number | boolean | null>;
  everyMs: number;
  timeoutMs: number;
  failAfter: number;
  severity: Severity;
}

/** A synthetic check's alert is P1 unless the probe says otherwise: the site is down for someone (ESN: P1 High). */
const DEFAULT_SEVERITY: Severity = 'P1';

export const SYNTHETIC_SCHEDULER_PREFIX = 'synthetic:';

export function syntheticSchedulerId(check: Pick<SyntheticCheck, 'env' | 'name'>): string {
  return `${SYNTHETIC_SCHEDULER_PREFIX}${check.env}:${check.name}`;
}

export function syntheticChecks(config: OpsConfig): SyntheticCheck[] {
  return Object.entries(config.environments).flatMap(([env, e]) =>
    e.health.flatMap((p) =>
      p.every === undefined
        ? []
        : [
            {
              env,
              name: p.name,
              url: p.url,
              expectStatus: p.expectStatus,
              expectJson: p.expectJson,
              everyMs: p.every,
              timeoutMs: p.timeout ?? config.probes.timeout,
              failAfter: p.failAfter,
              severity: p.severity ?? DEFAULT_SEVERITY,
            },
          ],
    ),
  );
}

/**
 * One job scheduler per check (so several replicas probe once per interval); schedulers of checks no longer in
 * ops.yml are removed. Without a config (no probes wired) every synthetic scheduler is removed. Returns the ids.
 */
export async function scheduleSyntheticChecks(
  queue: Pick<Queue, 'upsertJobScheduler' | 'getJobSchedulers' | 'removeJobScheduler'>,
  config: OpsConfig | undefined,
): Promise<string[]> {
  const checks = config ? syntheticChecks(config) : [];
  const wanted = new Set(checks.map(syntheticSchedulerId));
  for (const check of checks)
    await queue.upsertJobScheduler(
      syntheticSchedulerId(check),
      { every: check.everyMs },
      { name: 'synthetic', data: { env: check.env, check: check.name } },
    );
  for (const scheduler of await queue.getJobSchedulers())
    if (scheduler.key.startsWith(SYNTHETIC_SCHEDULER_PREFIX) && !wanted.has(scheduler.key))
      await queue.removeJobScheduler(scheduler.key);
  return [...wanted];
}

export interface SyntheticDeps {
  redis: Redis;
  prefix: string;
  probes: Pick<Probes, 'http'>;
  clock(): Date;
}

/**
 * One run of one check. The count of failures in a row and whether an alert fired live in Redis (one hash per
 * check), so a restarted worker or another replica continues the count. Returns the transition to hand to the
 * alert pipeline: firing at the `failAfter`-th failure, resolved at the first success after that, else nothing.
 */
export async function runSyntheticCheck(
  deps: SyntheticDeps,
  check: SyntheticCheck,
): Promise<{ result: ProbeResult; alert?: NormalizedAlert }> {
  const result = await deps.probes.http(
    { name: check.name, url: check.url, expectStatus: check.expectStatus, expectJson: check.expectJson },
    check.timeoutMs,
  );
  const key = `${deps.prefix}:synthetic:${check.env}:${check.name}`;
  const base = {
    source: 'synthetic' as const,
    key: `synthetic:${check.env}:${check.name}`,
    title: `Synthetic check ${check.env}/${check.name} failing`,
    environment: check.env,
    severity: check.severity,
    at: deps.clock().toISOString(),
    link: result.target,
  };
  if (result.ok) {
    const [[, firing]] = (await deps.redis.multi().hget(key, 'firing').del(key).exec()) as [[unknown, string | null]];
    if (firing !== '1') return { result };
    return { result, alert: { ...base, state: 'resolved', reason: `answering again: ${result.detail}` } };
  }
  const [[, fails], [, firing]] = (await deps.redis
    .multi()
    .hincrby(key, 'fails', 1)
    .hget(key, 'firing')
    .pexpire(key, Math.max(check.everyMs * (check.failAfter + 10), 3_600_000))
    .exec()) as [[unknown, number], [unknown, string | null]];
  if (fails < check.failAfter || firing === '1') return { result };
  await deps.redis.hset(key, 'firing', '1');
  return {
    result,
    alert: {
      ...base,
      state: 'firing',
      reason: `${result.detail} — ${fails} failures in a row, every ${Math.round(check.everyMs / 1000)}s`,
    },
  };
}
