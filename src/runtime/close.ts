import type { Redis } from 'ioredis';
import type { AwsClientFactory } from '../aws/clients.js';
import type { JobQueue } from '../jobs/queue.js';
import type { RunningWorker } from '../jobs/worker.js';
import type { Logger } from '../log.js';
import type { Probes } from '../probes/index.js';
import type { TargetDatabases } from '../probes/target-postgres.js';
import type { SlackApp } from '../slack/app.js';
import type { SpoolingAuditTrail } from '../store/audit-spool.js';
import type { Pool } from '../store/pool.js';
import type { StoreHealth } from '../store/store-health.js';
import { stopSlack } from './slack.js';

/** What one process closes at shutdown, in the order close() takes them. */
export interface Closing {
  slackApp?: SlackApp;
  worker?: RunningWorker;
  storeHealth: StoreHealth;
  audit: SpoolingAuditTrail;
  alerts: { close(): Promise<void> };
  jobs: JobQueue;
  redis: Redis;
  bullConnection: Redis;
  pool: Pool;
  targets: TargetDatabases;
  probes: Probes;
  aws: AwsClientFactory;
  log: Logger;
}

/**
 * Stops taking work first, lets what is running finish, then closes connections. With `graceMs` (SIGTERM)
 * requests in flight and running jobs get that long in all; jobs still running then are cancelled.
 */
export async function closeInOrder(p: Closing, graceMs?: number): Promise<void> {
  const deadline = Date.now() + (graceMs ?? 30_000);
  const left = () => Math.max(0, deadline - Date.now());
  if (p.slackApp) await stopSlack(p.slackApp, left(), p.log);
  await p.worker?.close(graceMs === undefined ? undefined : left()).catch(() => undefined);
  p.storeHealth.stop();
  await p.audit.drain().catch(() => undefined);
  p.audit.stop();
  await p.alerts.close();
  await p.jobs.close().catch(() => undefined);
  p.redis.disconnect();
  await p.bullConnection.quit().catch(() => undefined);
  // A client stuck on a hung connection would hold end() for as long as TCP keeps it: bounded.
  await Promise.race([p.pool.end().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
  await p.targets.closeAll();
  p.probes.close?.();
  p.aws.destroy();
}
