import type { Reply } from '../core/reply.js';
import { renderJobDone, renderJobFailed, renderJobProgress, type JobView } from '../../views/jobs.js';
import type { Logger } from '../log.js';
import type { Chat } from '../core/chat.js';
import { toJobView, type OpsJob } from './queue.js';
import { JobLogStream } from './job-log-stream.js';

/** chat.update is Tier 3 (about 50 a minute for the workspace): one update per job every few seconds leaves room for many jobs. */
export const PROGRESS_UPDATE_INTERVAL_MS = 3000;

/**
 * Keeps a job's Slack message in step with the job: throttled progress while
 * it runs, then the outcome. Intermediate updates are best-effort; the final
 * one waits out rate limits.
 */
export class JobMessage {
  private lastSent = 0;
  private pending: { percent: number; note?: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The running log in the message's thread, for jobs that ask for one (`streamLog`). */
  private readonly stream?: JobLogStream;
  private lastNote?: string;

  constructor(
    private readonly job: OpsJob,
    private readonly messenger: Chat | undefined,
    private readonly log: Logger,
    private readonly intervalMs = PROGRESS_UPDATE_INTERVAL_MS,
    { streamLog = false }: { streamLog?: boolean } = {},
  ) {
    const { message, requestedBy } = job.data.meta;
    if (streamLog && messenger && message) this.stream = new JobLogStream(messenger, message, requestedBy, log);
  }

  private view(state: JobView['state']): JobView {
    return toJobView(this.job, state);
  }

  async progress(percent: number, note?: string): Promise<void> {
    const clamped = Math.max(0, Math.min(100, percent));
    await this.job.updateProgress({ percent: clamped, note });
    if (note && note !== this.lastNote) this.stream?.line(note);
    this.lastNote = note ?? this.lastNote;
    if (!this.job.data.meta.message || !this.messenger) return;
    this.pending = { percent: clamped, note };
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0) return this.flush();
    this.timer ??= setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const message = this.job.data.meta.message;
    if (!this.pending || !message || !this.messenger) return;
    const { percent, note } = this.pending;
    this.pending = undefined;
    this.lastSent = Date.now();
    try {
      await this.messenger.update(message, renderJobProgress({ ...this.view('active'), percent, note }), {
        wait: false,
      });
    } catch (err) {
      this.log.warn({ err, jobId: this.job.id }, 'progress update skipped');
    }
  }

  async done(result: Reply, durationMs: number): Promise<void> {
    await this.finish(renderJobDone(this.view('completed'), result, durationMs));
  }

  async failed(reason: string, state: 'failed' | 'cancelled', durationMs?: number): Promise<void> {
    await this.finish(renderJobFailed(this.view(state), reason, durationMs));
  }

  private async finish(reply: Reply): Promise<void> {
    clearTimeout(this.timer);
    this.pending = undefined;
    await this.stream?.stop(reply.text);
    const { message, announce } = this.job.data.meta;
    if (!this.messenger || (!message && !announce)) return;
    try {
      if (message) await this.messenger.update(message, reply);
      else await this.messenger.postJoining(announce!, reply);
    } catch (err) {
      this.log.error({ err, jobId: this.job.id, channel: announce }, 'could not post the job outcome to Slack');
    }
  }
}
