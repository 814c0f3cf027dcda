import type { OpsConfig } from '../config/schema.js';
import { ON_DEMAND, normalizeSchedule } from '../config/schedule.js';
import type { Feature } from '../core/feature.js';
import type { JobEnvelope, JobScheduling } from '../core/job.js';
import type { Logger } from '../log.js';

/** The job `/ops backup` enqueues and the schedule runs (its handler is commands/self-hosted/backup.ts). */
export const DUMP_JOB = 'backup.dump';
const SCHEDULER_PREFIX = 'backup:';

export interface DumpJobData {
  env: string;
  /** "opsbot" for the schedule, else the Slack user who asked. */
  requestedBy: string;
  scheduled?: boolean;
}

export function backupSchedulerId(envName: string): string {
  return `${SCHEDULER_PREFIX}${envName}`;
}

/**
 * What each scheduled run is queued with: its outcome (size, duration, what
 * retention deleted; or the failure, red, with its reason) is posted in
 * database.backup.channel, else channels.alerts; with neither, only logged.
 */
export function scheduledDumpEnvelope(envName: string, config: OpsConfig): JobEnvelope {
  const data: DumpJobData = { env: envName, requestedBy: 'opsbot', scheduled: true };
  const announce = config.environments[envName]?.database?.backup?.channel ?? config.channels.alerts;
  return {
    data: { ...data },
    meta: { title: `Scheduled backup of ${envName}`, requestedBy: 'opsbot', env: envName, announce },
  };
}

/**
 * One BullMQ job scheduler per environment with database.backup and a
 * schedule (guide 001: "Daily backup at 2 AM", `0 2 * * *`), in the config's
 * time zone; upserting is idempotent, so every worker process may call this
 * and each slot still yields one dump. Schedulers of environments no longer
 * scheduled are removed.
 */
export async function syncBackupSchedules(jobs: JobScheduling, config: OpsConfig, log: Logger): Promise<string[]> {
  const wanted = new Set<string>();
  for (const [envName, env] of Object.entries(config.environments)) {
    const backup = env.database?.backup;
    if (!backup || ON_DEMAND.has(backup.schedule.trim())) continue;
    const check = normalizeSchedule(backup.schedule);
    if (!check.ok) continue; // the config schema already refused it
    const id = backupSchedulerId(envName);
    wanted.add(id);
    await jobs.upsertSchedule(
      id,
      { pattern: check.pattern, tz: config.timezone },
      DUMP_JOB,
      scheduledDumpEnvelope(envName, config),
    );
  }
  for (const key of await jobs.scheduleIds()) {
    if (key.startsWith(SCHEDULER_PREFIX) && !wanted.has(key)) {
      await jobs.removeSchedule(key);
      log.info({ scheduler: key }, 'removed the backup schedule of an environment no longer scheduled');
    }
  }
  if (wanted.size) log.info({ schedulers: [...wanted], timezone: config.timezone }, 'backup schedules registered');
  return [...wanted];
}

/** Registers the backup schedules wherever job workers run. */
export function backupScheduleFeature(jobs: JobScheduling, config: OpsConfig, log: Logger): Feature {
  return { name: 'backup-schedule', startWorkers: async () => void (await syncBackupSchedules(jobs, config, log)) };
}
