import { randomUUID } from 'node:crypto';
import { redactDeep, redactSecrets } from '../redact.js';
import type { AuditEntry, AuditRecord, AuditTrail } from './audit.js';
import type { AuditSpoolFile } from './audit-spool-file.js';

interface Spooled {
  /** Also in entry.detail.spoolId: the writer skips a row already stored under it (a replay after a crash). */
  spoolId: string;
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
  /** The spool on disk (OPSBOT_AUDIT_SPOOL): rows left by a killed process are replayed at start. */
  file?: AuditSpoolFile;
}

/**
 * The audit trail with a bound: `record` waits at most `waitMs` for Postgres, and a row that could not be
 * written then is kept in a small in-memory spool and written later, in order, through the same
 * AuditTrail.record (the table and its writer are unchanged). A write that is merely slow is not
 * retried until it has failed, so a row is never written twice. The time the command ran is kept in
 * `detail.occurredAt` (the row's own `at` is when it was finally written). With `file`, every spooled row
 * (secrets redacted) is also appended to a JSON-lines file and fsynced before `record` returns; a new
 * process replays that file first, in order, and empties it only once Postgres has taken every row.
 */
export class SpoolingAuditTrail implements AuditTrail {
  private readonly spool: Spooled[] = [];
  private timer?: NodeJS.Timeout;
  private draining = false;
  dropped = 0;
  /** How many rows a killed process left in the spool file (replayed at start). */
  readonly replayed: number;

  constructor(
    private readonly inner: AuditTrail,
    private readonly options: AuditSpoolOptions = {},
  ) {
    const left = options.file?.load() ?? [];
    for (const line of left) this.spool.push({ spoolId: line.spoolId, entry: line.entry, inFlight: false });
    this.replayed = left.length;
    if (left.length > 0) void this.drain();
  }

  get backlog(): number {
    return this.spool.length;
  }

  async record(entry: AuditEntry): Promise<void> {
    if (this.spool.length > 0) {
      // Keep the order: while older rows wait, newer ones queue behind them.
      this.add(entry, false);
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
    const item = this.add(entry, !settled);
    if (item.inFlight)
      write.then(
        () => this.remove(item, true),
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
    // Rows still spooled stay in the file for the next process.
    this.options.file?.close();
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

  private add(raw: AuditEntry, inFlight: boolean): Spooled {
    const spoolId = randomUUID();
    // Redacted here as the writer would, so no secret reaches the spool file.
    const entry: AuditEntry = {
      ...raw,
      text: redactSecrets(raw.text),
      detail: { ...redactDeep(raw.detail ?? {}), occurredAt: new Date().toISOString(), spoolId },
    };
    const item = { spoolId, entry, inFlight };
    this.spool.push(item);
    this.options.file?.append({ spoolId, entry });
    while (this.spool.length > (this.options.maxRows ?? 5000)) {
      const [old] = this.spool.splice(0, 1);
      this.dropped += 1;
      this.options.file?.done(old.spoolId);
      this.options.onDrop?.(old.entry);
    }
    return item;
  }

  /** `byOriginal`: the row's first write (without its spoolId) finished after all; the file must say so. */
  private remove(item: Spooled, byOriginal = false): void {
    const i = this.spool.indexOf(item);
    if (i >= 0) this.spool.splice(i, 1);
    if (this.spool.length > 0) {
      if (byOriginal) this.options.file?.done(item.spoolId);
      void this.drain();
    } else this.options.file?.clear();
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
