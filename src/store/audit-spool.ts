import type { AuditEntry, AuditRecord, AuditTrail } from './audit.js';

interface Spooled {
  entry: AuditEntry;
  /** The write is in flight (maybe hung); it is retried only after it fails, so no row is written twice. */
  inFlight: boolean;
}

export interface AuditSpoolOptions {
  /** How long a caller waits for the write before it is spooled (the reply goes on meanwhile). */
  waitMs?: number;
  /** Retry period for spooled rows. */
  retryMs?: number;
  /** Above this many spooled rows the oldest are dropped (and counted): memory stays bounded. */
  maxRows?: number;
  onDrop?(entry: AuditEntry): void;
}

/**
 * The audit trail with a bound: `record` waits at most `waitMs` for Postgres, and a row that could not be
 * written then is kept in a small in-memory spool and written later, in order, through the same
 * AuditTrail.record (the table and its writer are unchanged). A write that is merely slow is not
 * retried until it has failed, so a row is never written twice. The time the command ran is kept in
 * `detail.occurredAt` (the row's own `at` is when it was finally written). The spool is memory only: rows
 * spooled by a process that is then killed are lost, and the log's 'audit write failed' lines name them.
 */
export class SpoolingAuditTrail implements AuditTrail {
  private readonly spool: Spooled[] = [];
  private timer?: NodeJS.Timeout;
  private draining = false;
  dropped = 0;

  constructor(
    private readonly inner: AuditTrail,
    private readonly options: AuditSpoolOptions = {},
  ) {}

  get backlog(): number {
    return this.spool.length;
  }

  async record(entry: AuditEntry): Promise<void> {
    if (this.spool.length > 0) {
      // Keep the order: while older rows wait, newer ones queue behind them.
      this.add({ ...entry, detail: { ...entry.detail, occurredAt: new Date().toISOString() } }, false);
      void this.drain();
      return;
    }
    const write = this.inner.record(entry);
    let settled = false;
    const waited = await Promise.race([
      write.then(
        () => (settled = true),
        () => false,
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), this.options.waitMs ?? 1000).unref()),
    ]);
    if (waited) return;
    const item = this.add({ ...entry, detail: { ...entry.detail, occurredAt: new Date().toISOString() } }, !settled);
    if (item.inFlight)
      write.then(
        () => this.remove(item),
        () => {
          item.inFlight = false;
        },
      );
    this.schedule();
  }

  recent(limit?: number): Promise<AuditRecord[]> {
    return this.inner.recent(limit);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Writes spooled rows in order until one fails; resolves with how many are left. */
  async drain(): Promise<number> {
    if (this.draining) return this.spool.length;
    this.draining = true;
    try {
      while (this.spool.length > 0) {
        const head = this.spool[0];
        if (head.inFlight) break;
        head.inFlight = true;
        try {
          await this.inner.record(head.entry);
          this.remove(head);
        } catch {
          head.inFlight = false;
          break;
        }
      }
    } finally {
      this.draining = false;
    }
    if (this.spool.length > 0) this.schedule();
    return this.spool.length;
  }

  private add(entry: AuditEntry, inFlight: boolean): Spooled {
    const item = { entry, inFlight };
    this.spool.push(item);
    while (this.spool.length > (this.options.maxRows ?? 5000)) {
      const [old] = this.spool.splice(0, 1);
      this.dropped += 1;
      this.options.onDrop?.(old.entry);
    }
    return item;
  }

  private remove(item: Spooled): void {
    const i = this.spool.indexOf(item);
    if (i >= 0) this.spool.splice(i, 1);
    if (this.spool.length > 0) void this.drain();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, this.options.retryMs ?? 2000);
    this.timer.unref();
  }
}
