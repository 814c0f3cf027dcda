import type { JobScheduling } from '../core/job.js';
import type { Logger } from '../log.js';
import type { ChecklistDefinition } from './definitions.js';

export const POST_JOB = 'checklist.post';
const SCHEDULER_PREFIX = 'checklist:';

export interface PostJobData {
  checklist: string;
}

export function schedulerId(name: string): string {
  return `${SCHEDULER_PREFIX}${name}`;
}

/**
 * Makes BullMQ's job schedulers match the configured lists: one scheduler per
 * scheduled list (upsert is idempotent, so every replica may call this and each
 * slot still yields one job), and schedulers of lists no longer scheduled removed.
 */
export async function syncSchedulers(
  jobs: JobScheduling,
  lists: ChecklistDefinition[],
  timezone: string,
  log: Logger,
): Promise<string[]> {
  const wanted = new Set<string>();
  for (const list of lists) {
    if (!list.schedule) continue;
    const id = schedulerId(list.name);
    wanted.add(id);
    await jobs.upsertSchedule(id, { pattern: list.schedule, tz: timezone }, POST_JOB, {
      data: { checklist: list.name },
      meta: { title: `Post checklist ${list.name}`, requestedBy: 'opsbot' },
    });
  }
  for (const key of await jobs.scheduleIds()) {
    if (key.startsWith(SCHEDULER_PREFIX) && !wanted.has(key)) {
      await jobs.removeSchedule(key);
      log.info({ scheduler: key }, 'removed the schedule of a checklist no longer configured');
    }
  }
  log.info({ schedulers: [...wanted], timezone }, 'checklist schedules registered');
  return [...wanted];
}
