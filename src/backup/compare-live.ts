import pg from 'pg';
import { redactSecrets } from '../redact.js';
import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import type { Services } from '../core/services.js';
import type { TableCheck } from '../store/backup-verifications.js';
import {
  DEFAULT_LARGEST_TABLES,
  DEFAULT_TOLERANCE_PERCENT,
  compareCounts,
  countRows,
  largestTables,
  type Queryable,
} from './row-counts.js';

/** What a comparison needs: the environment (its checks and live database), its services, cancel and progress. */
export interface CompareJob {
  envName: string;
  env: EnvironmentConfig;
  services: Pick<Services, 'targets'>;
  signal: AbortSignal;
  progress(percent: number, note?: string): Promise<void>;
}

/** Row counts of the configured or largest tables, restored copy against live database (when there is one). */
export async function compareWithLive(job: CompareJob, restoredUrl: string): Promise<TableCheck[]> {
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
