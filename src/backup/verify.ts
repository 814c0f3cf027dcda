import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactSecrets } from '../redact.js';
import type { EnvironmentConfig } from '../config/schema.js';
import { UserError, isUserError } from '../errors.js';
import type { Services } from '../core/services.js';
import type { BackupVerification, TableCheck } from '../store/backup-verifications.js';
import { actionTiming, jobFollowSettings, nameStamp, pollSession } from '../aws/action-follow.js';
import { requireRds } from '../aws/action-target.js';
import {
  deleteScratchInstance,
  followInstance,
  getInstance,
  listSnapshots,
  newInstanceName,
  restoreToNewInstance,
} from '../aws/snapshots.js';
import { createScratchDatabase, dropScratchDatabase, findDump } from './logical.js';
import { listBackups } from './backup-files.js';
import { restoreDump } from './restore-dump.js';
import {
  DEFAULT_LARGEST_TABLES,
  DEFAULT_TOLERANCE_PERCENT,
  compareCounts,
  countRows,
  largestTables,
  type Queryable,
} from './row-counts.js';

export interface VerifyJob {
  envName: string;
  env: EnvironmentConfig;
  services: Services;
  signal: AbortSignal;
  progress(percent: number, note?: string): Promise<void>;
  jobId?: string;
  requestedBy?: string;
}

interface Attempt {
  method: 'logical' | 'snapshot';
  source: string;
  checks: TableCheck[];
  cleanup?: string;
  note?: string;
}

/**
 * Proves a backup restores: a pg_dump file into a scratch database, or else the
 * latest RDS snapshot into a temporary instance; compares row counts of the
 * largest (or configured) tables with the live database; removes what it
 * created; records the result whatever happened.
 */
export async function verifyBackup(job: VerifyJob): Promise<BackupVerification> {
  const startedAt = new Date();
  const verify = job.env.backup?.verify;
  const folder = job.env.database?.backup?.dir;
  const attempt: Attempt = {
    method: verify?.dumpPath || folder ? 'logical' : 'snapshot',
    source: verify?.dumpPath ?? folder ?? '(latest snapshot)',
    checks: [],
  };
  let failure: string | undefined;
  try {
    if (attempt.method === 'logical') await verifyLogical(job, attempt);
    else await verifySnapshot(job, attempt);
  } catch (err) {
    if (job.signal.aborted) failure = `stopped: ${String(job.signal.reason ?? 'cancelled')}`;
    else if (isUserError(err)) failure = err.message + (err.hint ? ` ${err.hint}` : '');
    else failure = `unexpected error: ${redactSecrets((err as Error).message)}`;
    await record(job, attempt, startedAt, false, failure).catch(() => undefined);
    throw err;
  }
  const failed = attempt.checks.filter((c) => !c.ok);
  const ok = failed.length === 0;
  const summary = ok
    ? `${attempt.method === 'logical' ? 'Dump' : 'Snapshot'} restored; ${attempt.checks.length} table(s) checked${attempt.note ? `; ${attempt.note}` : ''}`
    : `${failed.length} of ${attempt.checks.length} table check(s) failed: ${failed.map((c) => `${c.table} (${c.note})`).join(', ')}`;
  return record(job, attempt, startedAt, ok, summary);
}

function record(
  job: VerifyJob,
  attempt: Attempt,
  startedAt: Date,
  ok: boolean,
  summary: string,
): Promise<BackupVerification> {
  return job.services.backupVerifications.record({
    env: job.envName,
    method: attempt.method,
    source: attempt.source,
    ok,
    summary,
    checks: attempt.checks,
    cleanup: attempt.cleanup,
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    jobId: job.jobId,
    requestedBy: job.requestedBy,
  });
}

async function verifyLogical(job: VerifyJob, attempt: Attempt): Promise<void> {
  const verify = job.env.backup?.verify;
  // Without a scratch server, the scratch database goes on the live server (its user needs CREATEDB).
  const scratchUrl = verify?.scratchUrl ?? job.env.database?.url;
  if (!scratchUrl)
    throw new UserError(
      'A logical backup needs a scratch server to restore into.',
      `Set backup.verify.scratchUrl under environments.${job.envName} in ops.yml (a Postgres URL whose user may CREATE DATABASE).`,
    );
  await job.progress(3, 'finding the dump');
  const dump = verify?.dumpPath ? await findDump(verify.dumpPath) : await newestBackup(job);
  attempt.source = dump.path;
  const name = `opsbot_verify_${job.envName.replace(/-/g, '_')}_${nameStamp(new Date()).replace('-', '_')}_${randomBytes(2).toString('hex')}`;
  const url = await createScratchDatabase(scratchUrl, name);
  attempt.cleanup = `scratch database ${name}: not dropped yet`;
  try {
    await job.progress(10, `pg_restore of ${dump.path} (${Math.round(dump.bytes / 1024)} KiB) into ${name}`);
    await restoreDump(dump.path, url, job.signal);
    await job.progress(70, 'comparing row counts');
    attempt.checks = await compareWithLive(job, url);
  } finally {
    try {
      await dropScratchDatabase(scratchUrl, name);
      attempt.cleanup = `dropped scratch database ${name}`;
    } catch (err) {
      attempt.cleanup = `could not drop scratch database ${name}: ${(err as Error).message} — drop it by hand`;
    }
  }
}

async function newestBackup(job: VerifyJob): Promise<{ path: string; bytes: number }> {
  const backup = job.env.database!.backup!;
  const [newest] = await listBackups(backup.dir, job.envName);
  if (!newest)
    throw new UserError(`${backup.dir} has no backups of ${job.envName} yet.`, 'Take one with `/ops backup`.');
  return newest;
}

async function verifySnapshot(job: VerifyJob, attempt: Attempt): Promise<void> {
  const instance = requireRds(job.envName, job.env);
  const clients = job.services.aws.forEnv(job.env);
  const timing = actionTiming(job.env);
  await job.progress(2, 'finding the latest snapshot');
  const latest = (await listSnapshots(pollSession(clients), instance)).find((s) => s.status === 'available');
  if (!latest)
    throw new UserError(`\`${instance}\` has no available snapshot to verify.`, 'Take one with `/ops backup`.');
  attempt.source = latest.id;
  const like = await getInstance(pollSession(clients), instance);
  if (!like) throw new UserError(`RDS has no instance \`${instance}\`.`, 'Check rds.instance in ops.yml.');
  const tempId = newInstanceName(instance, 'verify', new Date());
  await restoreToNewInstance(pollSession(clients), latest.id, tempId, like);
  attempt.cleanup = `temporary instance ${tempId}: not deleted yet`;
  try {
    const restored = await followInstance(
      clients,
      jobFollowSettings(job, timing, timing.restoreTimeoutMs, [5, 70]),
      tempId,
    );
    if (!job.env.database) {
      attempt.note = 'no row checks: environments.<env>.database.url is needed to log in to the copy';
      return;
    }
    await job.progress(75, 'comparing row counts');
    const url = new URL(job.env.database.url);
    url.hostname = restored.endpoint!.address;
    url.port = String(restored.endpoint!.port);
    attempt.checks = await compareWithLive(job, url.toString());
  } finally {
    try {
      await deleteScratchInstance(pollSession(clients), tempId);
      attempt.cleanup = `deleting temporary instance ${tempId} (no final snapshot)`;
    } catch (err) {
      attempt.cleanup = `could not delete temporary instance ${tempId}: ${(err as Error).message} — delete it in the RDS console`;
    }
  }
}

/** Row counts of the configured or largest tables, restored copy against live database (when there is one). */
async function compareWithLive(job: VerifyJob, restoredUrl: string): Promise<TableCheck[]> {
  const checks = job.env.backup?.verify?.checks;
  const largest = checks?.largest ?? DEFAULT_LARGEST_TABLES;
  const tolerance = checks?.tolerancePercent ?? DEFAULT_TOLERANCE_PERCENT;
  const hasLive = Boolean(job.env.database);
  const live = (work: (db: Queryable) => Promise<unknown>) =>
    job.services.targets.session(job.envName, async (db) => {
      await db.query('BEGIN READ ONLY');
      try {
        return await work(db as Queryable);
      } finally {
        await db.query('ROLLBACK').catch(() => undefined);
      }
    });
  return withClient(restoredUrl, job.signal, async (restored) => {
    const tables =
      checks?.tables ??
      (hasLive
        ? ((await live((db) => largestTables(db, largest))) as string[])
        : await largestTables(restored, largest));
    // The copy and the live database are counted at the same time (two servers, or two connections to one).
    const [restoredCounts, liveCounts] = await Promise.all([
      countRows(restored, tables, job.signal),
      hasLive ? (live((db) => countRows(db, tables, job.signal)) as Promise<Map<string, number | null>>) : undefined,
    ]);
    await job.progress(95, `counted ${tables.length} table(s) in the copy${hasLive ? ' and the live database' : ''}`);
    return compareCounts(tables, restoredCounts, liveCounts, tolerance);
  });
}

async function withClient<T>(url: string, signal: AbortSignal, work: (db: Queryable) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    application_name: 'opsbot-verify',
  });
  client.on('error', () => undefined);
  const stop = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    try {
      await client.connect();
    } catch (err) {
      throw new UserError(
        `Could not connect to the restored copy at ${new URL(url).host}: ${redactSecrets((err as Error).message)}.`,
        'Is it reachable from opsbot (security group, VPC), with the same credentials as the live database?',
      );
    }
    return await work(client);
  } finally {
    signal.removeEventListener('abort', stop);
    await client.end().catch(() => undefined);
  }
}
