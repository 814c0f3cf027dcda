import type { JobQueue } from '../jobs/queue.js';
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
  jobs: JobQueue,
  lists: ChecklistDefinition[],
  timezone: string,
  log: Logger,
): Promise<string[]> {
  const wanted = new Set<string>();
  for (const list of lists) {
    if (!list.schedule) continue;
    const id = schedulerId(list.name);
    wanted.add(id);
    await jobs.queue.upsertJobScheduler(
      id,
      { pattern: list.schedule, tz: timezone },
      {
        name: POST_JOB,
        data: { data: { checklist: list.name }, meta: { title: `Post checklist ${list.name}`, requestedBy: 'opsbot' } },
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: { age: 86_400, count: 1000 },
          removeOnFail: { age: 7 * 86_400 },
        },
      },
    );
  }
  const existing = await jobs.queue.getJobSchedulers(0, -1);
  for (const scheduler of existing) {
    if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(scheduler.key)) {
      await jobs.queue.removeJobScheduler(scheduler.key);
      log.info({ scheduler: scheduler.key }, 'removed the schedule of a checklist no longer configured');
    }
  }
  log.info({ schedulers: [...wanted], timezone }, 'checklist schedules registered');
  return [...wanted];
}
