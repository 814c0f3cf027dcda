import type { Chat, LogStream, PostedMessage } from '../core/chat.js';
import type { Logger } from '../log.js';

/** chat.appendStream is Tier 4, but one append a second per job is plenty for a log a person reads. */
export const STREAM_APPEND_INTERVAL_MS = 1000;

const isSlackUser = (id: string) => /^[UW][A-Z0-9]+$/.test(id);

/**
 * A job's steps as a growing log in the thread of its message (chat.startStream / appendStream /
 * stopStream). Lines are batched to one append a second and sent one call at a time, in order. It is
 * best-effort: the job's message, updated in place, stays the source of truth, so a refused stream is
 * logged and switched off rather than failing the job.
 */
export class JobLogStream {
  private stream?: LogStream;
  private lines: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private off = false;

  constructor(
    private readonly chat: Chat,
    private readonly message: PostedMessage,
    private readonly recipient: string,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly intervalMs = STREAM_APPEND_INTERVAL_MS,
  ) {
    this.off = !chat.openLogStream || !isSlackUser(recipient);
  }

  /** One step of the job, e.g. "modifying"; shown with the time it was reached. */
  line(text: string): void {
    if (this.off) return;
    this.lines.push(`\`${this.clock().toISOString().slice(11, 19)}\` ${text}\n`);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is left and ends the stream with its last line (the outcome). */
  async stop(last: string): Promise<void> {
    clearTimeout(this.timer);
    this.flush();
    this.chain = this.chain.then(() => this.send(async () => this.stream?.stop(`${last}\n`)));
    await this.chain;
  }

  private flush(): void {
    this.timer = undefined;
    const text = this.lines.join('');
    this.lines = [];
    if (!text) return;
    this.chain = this.chain.then(() =>
      this.send(async () => {
        if (this.stream) await this.stream.append(text);
        else this.stream = await this.chat.openLogStream!(this.message, this.recipient, text);
      }),
    );
  }

  private async send(call: () => Promise<void>): Promise<void> {
    if (this.off) return;
    try {
      await call();
    } catch (err) {
      this.off = true;
      this.log.warn({ err, message: this.message }, 'job log stream refused; the job message still shows progress');
    }
  }
}
