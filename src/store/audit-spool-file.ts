import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from './audit.js';

/** One spooled row as kept on disk: its spool id (also in detail.spoolId) and the redacted entry. */
export interface SpooledLine {
  spoolId: string;
  entry: AuditEntry;
}

/** OPSBOT_AUDIT_SPOOL, else one file per Redis prefix in the OS temp dir. */
export function defaultSpoolPath(prefix: string): string {
  return join(tmpdir(), `opsbot-audit-spool-${prefix.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // our own pid in the lock: left by an earlier life of this container
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The audit spool on disk: JSON lines, each written and fsynced before `record` returns, so rows spooled by
 * a process that is then killed are written by the next one. A row is one line `{"spoolId", "entry"}`; a
 * row written by its own (slow) original write gets a line `{"done": spoolId}`; the file is emptied when the
 * spool is. One process writes a file at a time (`<path>.lock` holds its pid); a second one finding the lock
 * held by a live process keeps its spool in memory and says so through `onProblem`.
 */
export class AuditSpoolFile {
  private fd?: number;
  private locked = false;
  private disabled = false;

  constructor(
    readonly path: string,
    private readonly onProblem: (message: string, err?: unknown) => void = () => undefined,
  ) {}

  /** The rows a killed process left, in order, without those marked done. Takes the file over when any. */
  load(): SpooledLine[] {
    if (!existsSync(this.path)) return [];
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      this.onProblem('audit spool file unreadable', err);
      return [];
    }
    const rows = new Map<string, SpooledLine>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed = JSON.parse(line) as Partial<SpooledLine> & { done?: string };
        if (parsed.done) rows.delete(parsed.done);
        else if (parsed.spoolId && parsed.entry) rows.set(parsed.spoolId, parsed as SpooledLine);
      } catch {
        // A line cut short by the kill (no fsync finished): it was never acknowledged as spooled.
      }
    }
    if (rows.size > 0 && !this.open()) return [];
    return [...rows.values()];
  }

  append(line: SpooledLine): void {
    this.write(JSON.stringify(line));
  }

  done(spoolId: string): void {
    this.write(JSON.stringify({ done: spoolId }));
  }

  /** Everything spooled was written: empty the file. */
  clear(): void {
    if (this.fd === undefined) return;
    try {
      ftruncateSync(this.fd, 0);
      fsyncSync(this.fd);
    } catch (err) {
      this.onProblem('could not empty the audit spool file', err);
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      const empty = fstatSync(this.fd).size === 0;
      closeSync(this.fd);
      if (empty) unlinkSync(this.path);
    }
    this.fd = undefined;
    if (this.locked) {
      try {
        unlinkSync(`${this.path}.lock`);
      } catch {
        // already gone
      }
      this.locked = false;
    }
  }

  private write(json: string): void {
    if (!this.open()) return;
    try {
      writeSync(this.fd!, `${json}\n`);
      fsyncSync(this.fd!);
    } catch (err) {
      this.onProblem('could not write the audit spool file; the row is kept in memory only', err);
    }
  }

  private open(): boolean {
    if (this.fd !== undefined) return true;
    if (this.disabled) return false;
    try {
      if (!this.lock()) {
        this.disabled = true;
        this.onProblem(`audit spool file ${this.path} is used by another live process; spooling in memory only`);
        return false;
      }
      this.fd = openSync(this.path, 'a', 0o600);
      return true;
    } catch (err) {
      this.disabled = true;
      this.onProblem(`audit spool file ${this.path} cannot be opened; spooling in memory only`, err);
      return false;
    }
  }

  private lock(): boolean {
    const lockPath = `${this.path}.lock`;
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return false;
      writeFileSync(lockPath, String(process.pid), { mode: 0o600 }); // a dead process's lock: take it over
    }
    this.locked = true;
    return true;
  }
}
