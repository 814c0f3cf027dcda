import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { UserError } from '../errors.js';
import type { JobControl, JobEnvelope, JobScheduling, JobSummary } from '../core/job.js';

export const QUEUE_NAME = 'ops-jobs';

export type { JobEnvelope, JobMeta } from '../core/job.js';

export type OpsJob = Job<JobEnvelope>;

/** The cancel channel every worker listens on, so any replica can stop a job another one runs. */
export function cancelChannel(prefix: string): string {
  return `${prefix}:jobs:cancel`;
}

export class JobQueue implements JobScheduling, JobControl {
  readonly queue: Queue<JobEnvelope>;

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
  ) {
    this.queue = new Queue<JobEnvelope>(QUEUE_NAME, { connection, prefix });
  }

  async enqueue(
    name: string,
    envelope: JobEnvelope,
    options: { idempotent?: boolean; delayMs?: number } = {},
  ): Promise<OpsJob> {
    const opts: JobsOptions = {
      // A retry could repeat a side effect (a second snapshot, a second rollback), so only idempotent jobs get one.
      attempts: options.idempotent ? 3 : 1,
      backoff: { type: 'exponential', delay: 2000 },
      delay: options.delayMs,
      removeOnComplete: { age: 86_400, count: 1000 },
      removeOnFail: { age: 7 * 86_400, count: 1000 },
    };
    return this.queue.add(name, envelope, opts);
  }

  async upsertSchedule(id: string, when: { pattern: string; tz: string }, name: string, envelope: JobEnvelope) {
    await this.queue.upsertJobScheduler(id, when, {
      name,
      data: envelope,
      opts: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { age: 86_400, count: 1000 },
        removeOnFail: { age: 7 * 86_400 },
      },
    });
  }

  async scheduleIds(): Promise<string[]> {
    return (await this.queue.getJobSchedulers(0, -1)).map((s) => s.key);
  }

  async removeSchedule(id: string): Promise<void> {
    await this.queue.removeJobScheduler(id);
  }

  async get(id: string): Promise<OpsJob | undefined> {
    return (await this.queue.getJob(id)) ?? undefined;
  }

  async list(now = new Date()): Promise<{ active: JobSummary[]; queued: JobSummary[]; failed: JobSummary[] }> {
    const [active, queued, failed] = await Promise.all([
      this.queue.getJobs(['active'], 0, 49),
      this.queue.getJobs(['waiting', 'delayed', 'prioritized', 'waiting-children'], 0, 49),
      this.queue.getJobs(['failed'], 0, 19),
    ]);
    const dayAgo = now.getTime() - 86_400_000;
    return {
      active: active.filter(Boolean).map((job) => toJobView(job, 'active')),
      queued: queued.filter(Boolean).map((job) => toJobView(job, job.delay > 0 ? 'delayed' : 'waiting')),
      failed: failed
        .filter((job) => job && (job.finishedOn ?? job.timestamp) >= dayAgo)
        .map((job) => toJobView(job, job.failedReason?.startsWith('cancelled') ? 'cancelled' : 'failed')),
    };
  }

  /**
   * Waiting jobs are removed; a running job is signalled on the cancel channel
   * and its worker aborts it (handlers see ctx.signal). Returns which happened.
   */
  async cancel(id: string, by: string): Promise<{ title: string; how: 'removed' | 'signalled' }> {
    const job = await this.get(id);
    if (!job) throw new UserError(`There is no job \`${id}\`.`, 'See the running and queued ones with `/ops jobs`.');
    const state = await job.getState();
    if (state === 'completed' || state === 'failed')
      throw new UserError(
        `Job \`${id}\` has already ${state === 'completed' ? 'finished' : 'failed'}; there is nothing to cancel.`,
      );
    if (state === 'active') {
      await this.connection.publish(cancelChannel(this.prefix), JSON.stringify({ id, by }));
      return { title: job.data.meta?.title ?? job.name, how: 'signalled' };
    }
    await job.remove();
    return { title: job.data.meta?.title ?? job.name, how: 'removed' };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export function toJobView(job: OpsJob, state: JobSummary['state']): JobSummary {
  const progress = job.progress as number | { percent?: number; note?: string } | undefined;
  const percent = typeof progress === 'number' ? progress : (progress?.percent ?? 0);
  return {
    id: String(job.id),
    title: job.data.meta?.title ?? job.name,
    state,
    percent,
    note: typeof progress === 'object' ? progress?.note : undefined,
    requestedBy: job.data.meta?.requestedBy,
    env: job.data.meta?.env,
    createdAt: new Date(job.timestamp),
    startedAt: job.processedOn ? new Date(job.processedOn) : undefined,
    finishedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
    failedReason: job.failedReason || undefined,
  };
}
