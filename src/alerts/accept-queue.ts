import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { withTimeout } from '../errors.js';
import { IntakeUnavailable } from './intake.js';
import type { NormalizedAlert } from './types.js';

/**
 * How long intake waits for the queue before answering 503: well inside SNS's 15 s delivery timeout and
 * short enough that a storm does not pile up open requests. A healthy addBulk takes milliseconds.
 */
export const ACCEPT_TIMEOUT_MS = 2000;

/** The part of the alert queue intake writes to. */
interface AlertJobQueue {
  addBulk(
    jobs: { name: string; data: { alert: NormalizedAlert; notificationId?: string }; opts: { jobId: string } }[],
  ): Promise<unknown>;
}

/**
 * Intake's one write: the alerts go on the queue, then the HTTP request is answered. Requests arriving in
 * the same event-loop turn share one addBulk. `notificationIds` (one per alert; SNS passes its MessageId)
 * are the job ids and the counting key, so a redelivered notification is queued and counted once.
 * Rejects with IntakeUnavailable at once when the queue's Redis connection is down (its commands would
 * otherwise wait in ioredis's offline queue for ever), and after ACCEPT_TIMEOUT_MS when Redis hangs.
 */
export class AcceptQueue {
  private readonly pending: {
    alerts: NormalizedAlert[];
    ids: string[];
    resolve(): void;
    reject(err: unknown): void;
  }[] = [];

  constructor(
    private readonly queue: AlertJobQueue,
    private readonly connection: Pick<Redis, 'status'>,
  ) {}

  accept(alerts: NormalizedAlert[], notificationIds?: string[]): Promise<void> {
    if (alerts.length === 0) return Promise.resolve();
    const ids = alerts.map((_, i) => notificationIds?.[i] ?? `n-${randomUUID()}`);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ alerts, ids, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    try {
      if (this.connection.status !== 'ready')
        throw new IntakeUnavailable(`the alert queue's Redis connection is ${this.connection.status}`);
      const jobs = batch.flatMap((b) =>
        b.alerts.map((alert, i) => ({
          name: 'alert',
          data: { alert, notificationId: b.ids[i] },
          opts: { jobId: b.ids[i] },
        })),
      );
      await withTimeout('queueing the alerts', ACCEPT_TIMEOUT_MS, () => this.queue.addBulk(jobs)).catch((err) => {
        throw new IntakeUnavailable(`Redis did not take the alerts: ${(err as Error).message}`);
      });
      for (const b of batch) b.resolve();
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}
