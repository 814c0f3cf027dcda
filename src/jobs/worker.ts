import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { isUserError, newErrorRef, abortReason } from '../errors.js';
import type { Logger } from '../log.js';
import type { OpsConfig } from '../config/schema.js';
import type { Services } from '../core/services.js';
import type { Chat } from '../core/chat.js';
import type { JobCatalog } from '../core/job.js';
import { formatMs } from '../../views/jobs.js';
import { JobMessage } from './job-message.js';
import { QUEUE_NAME, cancelChannel, type JobEnvelope, type OpsJob } from './queue.js';

const DEFAULT_JOB_TIMEOUT_MS = 30 * 60_000;

export interface WorkerDeps {
  /** A connection with maxRetriesPerRequest: null, as BullMQ workers require. */
  connection: Redis;
  prefix: string;
  registry: JobCatalog;
  services: Services;
  config: OpsConfig;
  log: Logger;
  messenger?: Chat;
  concurrency?: number;
  progressIntervalMs?: number;
  /** How long a job's lock lasts without renewal, and how often workers look for jobs whose lock lapsed (a crashed worker). Tests shorten them. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface RunningWorker {
  worker: Worker<JobEnvelope>;
  /**
   * Takes no new jobs and lets running ones finish for up to `graceMs`; then cancels them (their messages say
   * so, like `/ops jobs cancel`) and waits for them to stop. Without `graceMs` it waits as long as they take.
   */
  close(graceMs?: number): Promise<void>;
}

/** Why a job that outlived the shutdown grace stopped (its message shows it). */
export const SHUTDOWN_REASON = 'opsbot is shutting down (SIGTERM) and the job ran past the shutdown grace';

export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { registry, log } = deps;
  const worker = new Worker<JobEnvelope>(QUEUE_NAME, (job, _token, signal) => processJob(deps, job, signal), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 4,
    lockDuration: deps.lockDurationMs ?? 30_000,
    stalledInterval: deps.stalledIntervalMs ?? 30_000,
    maxStalledCount: 1,
  });
  worker.on('error', (err) => log.error({ err }, 'job worker error'));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'job stalled: its worker stopped answering'));
  worker.on('failed', (job, err) => {
    // A job that stalled past maxStalledCount fails without its processor running here: still tell Slack.
    if (job && err.message.includes('stalled')) {
      void new JobMessage(job, deps.messenger, log).failed(
        'The worker running this job stopped mid-way (crash or restart). Check the state before running it again.',
        'failed',
      );
    }
  });

  // Cancel requests arrive on a channel so the replica that runs the job hears them.
  const subscriber = deps.connection.duplicate();
  subscriber.on('error', (err) => log.warn({ err }, 'cancel subscriber error'));
  await subscriber.subscribe(cancelChannel(deps.prefix));
  subscriber.on('message', (_channel, message) => {
    try {
      const { id, by } = JSON.parse(message) as { id: string; by: string };
      if (worker.cancelJob(id, `cancelled by ${by}`)) log.info({ jobId: id, by }, 'job cancelled');
    } catch (err) {
      log.warn({ err }, 'bad cancel message');
    }
  });
  log.info({ jobs: registry.jobs().map((j) => j.name), concurrency: worker.concurrency }, 'job worker started');

  return {
    worker,
    async close(graceMs?: number) {
      await subscriber.quit().catch(() => undefined);
      const closing = worker.close();
      if (graceMs === undefined) return closing;
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        closing.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
      ]);
      clearTimeout(timer);
      if (inTime) return;
      log.warn({ graceMs }, 'jobs still running when the shutdown grace ended: cancelling them');
      worker.cancelAllJobs(SHUTDOWN_REASON);
      await closing;
    },
  };
}

async function processJob(
  deps: WorkerDeps,
  job: OpsJob,
  cancelSignal?: AbortSignal,
): Promise<{ text: string; blocks: unknown[] }> {
  const definition = deps.registry.job(job.name);
  const log = deps.log.child({ jobId: job.id, job: job.name });
  const message = new JobMessage(job, deps.messenger, log, deps.progressIntervalMs, {
    streamLog: definition?.streamLog,
  });
  const started = Date.now();
  if (!definition) {
    const reason = `This opsbot has no handler for job "${job.name}" (an older or newer version queued it).`;
    await message.failed(reason, 'failed');
    throw new UnrecoverableError(reason);
  }
  if (!definition.idempotent && job.attemptsStarted > 1) {
    const reason =
      'The worker running this job stopped mid-way. opsbot does not repeat a job that changes things: check the state, then run the command again.';
    await message.failed(reason, 'failed');
    throw new UnrecoverableError(reason);
  }

  const timeoutMs = definition.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = cancelSignal ? AbortSignal.any([cancelSignal, timeout]) : timeout;
  const aborted = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true }),
  );
  aborted.catch(() => undefined);

  await message.progress(0, 'starting');
  try {
    const result = await Promise.race([
      definition.run(
        {
          jobId: String(job.id),
          config: deps.config,
          log,
          services: deps.services,
          signal,
          progress: (p, note) => message.progress(p, note),
        },
        job.data.data,
      ),
      aborted,
    ]);
    await message.done(result, Date.now() - started);
    return { text: result.text, blocks: result.blocks };
  } catch (err) {
    const elapsed = Date.now() - started;
    if (timeout.aborted) {
      const reason = `Timed out after ${formatMs(timeoutMs)}; opsbot stopped waiting. Check the state before running it again.`;
      await message.failed(reason, 'failed', elapsed);
      throw new UnrecoverableError(reason);
    }
    if (cancelSignal?.aborted) {
      const reason = String(cancelSignal.reason ?? 'cancelled');
      await message.failed(
        reason.startsWith('cancelled') ? `${reason.replace(/by (U\w+)/, 'by <@$1>')}.` : reason,
        'cancelled',
        elapsed,
      );
      throw new UnrecoverableError(reason);
    }
    if (isUserError(err)) {
      await message.failed(err.message + (err.hint ? `\n${err.hint}` : ''), 'failed', elapsed);
      throw new UnrecoverableError(err.message);
    }
    const ref = newErrorRef();
    log.error({ err, ref }, 'job failed');
    await message.failed(
      `\`${job.name}\` failed unexpectedly (ref ${ref}); the logs have the details.`,
      'failed',
      elapsed,
    );
    throw definition.idempotent ? err : new UnrecoverableError(`failed (ref ${ref})`);
  }
}
