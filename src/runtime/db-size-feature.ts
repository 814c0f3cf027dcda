import { DB_SIZE_RECORD_JOB, DB_SIZE_SCHEDULE, databaseEnvs } from '../../commands/db/size-record.js';
import type { OpsConfig } from '../config/schema.js';
import type { Feature } from '../core/feature.js';
import type { JobScheduling } from '../core/job.js';

/** The daily database-size sample behind /ops db size's growth line (job in commands/db/size-record.ts). */
export function dbSizeFeature(jobs: JobScheduling, config: OpsConfig): Feature {
  return {
    name: 'db-size-history',
    startWorkers: async () => {
      if (databaseEnvs(config).length === 0) return void (await jobs.removeSchedule(DB_SIZE_SCHEDULE.id));
      await jobs.upsertSchedule(
        DB_SIZE_SCHEDULE.id,
        { pattern: DB_SIZE_SCHEDULE.pattern, tz: config.timezone },
        DB_SIZE_RECORD_JOB,
        { data: {}, meta: { title: 'Record database sizes', requestedBy: 'opsbot' } },
      );
    },
  };
}
