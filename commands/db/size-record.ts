import { defineJob } from '../../src/core/job.js';
import type { Services } from '../../src/core/services.js';
import type { OpsConfig } from '../../src/config/schema.js';
import { queryDatabaseSize } from '../../src/probes/pg-diagnostics/sizes.js';
import type { DatabaseSize } from '../../src/probes/pg-diagnostics/types.js';
import { qualifiedName } from '../../views/db-format.js';
import { section } from '../../views/blocks.js';

export const DB_SIZE_RECORD_JOB = 'db.size.record';
/** Daily, after the guides' 2 AM backups: sizes are steadier once the night's jobs are done. */
export const DB_SIZE_SCHEDULE = { id: 'db-size:daily', pattern: '30 3 * * *' };

/** Stores one day's sample of a measured size (the same day again replaces it). */
export async function recordSize(services: Pick<Services, 'dbSizes'>, env: string, size: DatabaseSize): Promise<void> {
  await services.dbSizes.record({
    env,
    databaseBytes: size.bytes,
    tables: size.largest.map((t) => ({ table: qualifiedName(t.schema, t.name), bytes: t.totalBytes })),
  });
}

/** The daily job: every environment with a database, one failure never stopping the others. */
export const dbSizeRecordJob = defineJob<Record<string, never>>({
  name: DB_SIZE_RECORD_JOB,
  timeoutMs: 10 * 60_000,
  idempotent: true,
  async run(ctx) {
    const envs = databaseEnvs(ctx.config);
    const lines: string[] = [];
    for (const [i, env] of envs.entries()) {
      await ctx.progress((i / Math.max(1, envs.length)) * 100, `measuring ${env}`);
      try {
        const size = await ctx.services.targets.readOnly(env, (db) => queryDatabaseSize(db));
        await recordSize(ctx.services, env, size);
        lines.push(`• ${env}: recorded`);
      } catch (err) {
        ctx.log.warn({ env, err: (err as Error).message }, 'database size not recorded');
        lines.push(`• ${env}: not recorded — ${(err as Error).message}`);
      }
    }
    return {
      text: `Database sizes recorded for ${envs.length} environments`,
      blocks: [section(lines.join('\n') || 'no environment has a database')],
    };
  },
});

export function databaseEnvs(config: OpsConfig): string[] {
  return Object.entries(config.environments)
    .filter(([, env]) => env.database)
    .map(([name]) => name);
}
