import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { normalizeSchedule, ON_DEMAND, slotFor } from '../config/schedule.js';
import type { BackupFormat } from '../config/self-hosted.js';

export const EXTENSIONS: Record<BackupFormat, string> = { sql: '.sql', 'sql.gz': '.sql.gz', custom: '.dump' };

export interface BackupFile {
  file: string;
  path: string;
  format: BackupFormat;
  bytes: number;
  modifiedAt: Date;
  ageMs: number;
}

/** `<env>-<yyyyMMdd-HHmm>` in the given time zone (the config's), e.g. esn-20250123-0200. */
export function backupBaseName(envName: string, at: Date, timeZone = 'UTC'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${envName}-${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}`;
}

/** `esn-20250123-0200.sql.gz` (optionally `-2` when two ran in one minute) → its format; anything else → undefined. */
export function backupFormatOf(envName: string, file: string): BackupFormat | undefined {
  const escaped = envName.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');
  const m = new RegExp(`^${escaped}-\\d{8}-\\d{4}(?:-\\d+)?(\\.sql\\.gz|\\.sql|\\.dump)$`).exec(file);
  if (!m) return undefined;
  return m[1] === '.sql.gz' ? 'sql.gz' : m[1] === '.sql' ? 'sql' : 'custom';
}

/** This environment's finished backups in the folder, newest first (temp files of running dumps are not listed). */
export async function listBackups(dir: string, envName: string, now = new Date()): Promise<BackupFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw folderError(dir, err);
  }
  const files: BackupFile[] = [];
  for (const file of names) {
    const format = backupFormatOf(envName, file);
    if (!format) continue;
    const info = await stat(join(dir, file)).catch(() => undefined);
    if (!info?.isFile()) continue;
    files.push({
      file,
      path: join(dir, file),
      format,
      bytes: info.size,
      modifiedAt: info.mtime,
      ageMs: Math.max(0, now.getTime() - info.mtimeMs),
    });
  }
  return files.sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || b.file.localeCompare(a.file));
}

export function folderError(dir: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new UserError(
      `The backup folder ${dir} does not exist on the machine opsbot's worker runs on.`,
      'Create it (owned by the user opsbot runs as), or fix database.backup.dir in ops.yml.',
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new UserError(
      `opsbot may not read or write the backup folder ${dir}.`,
      'Give the user opsbot runs as read-write access to it.',
    );
  return new UserError(`The backup folder ${dir} cannot be used: ${(err as Error).message}.`);
}

export interface Freshness {
  /** undefined for on-demand backups (no schedule to hold them to). */
  ok?: boolean;
  /** The newest backup must be younger than this: the schedule's period plus a margin. */
  maxAgeMs?: number;
  newestAgeMs?: number;
  note: string;
}

/**
 * The newest backup must be at least as new as the last scheduled run, or,
 * within a margin after that run (a tenth of the period, at least 30 minutes:
 * the dump may still be running), as the run before. For a daily schedule
 * that is "younger than the period plus the margin"; for a weekday schedule
 * the weekend counts as one period. Older means a run was missed or failed.
 */
export function judgeFreshness(files: BackupFile[], schedule: string, timeZone: string, now = new Date()): Freshness {
  const newest = files[0];
  if (ON_DEMAND.has(schedule.trim()))
    return {
      newestAgeMs: newest?.ageMs,
      note: newest ? 'on-demand backups (no schedule)' : 'no backups yet (on demand only)',
    };
  const check = normalizeSchedule(schedule);
  if (!check.ok) return { note: check.message };
  const last = slotFor(check.pattern, timeZone, now);
  const before = last && slotFor(check.pattern, timeZone, new Date(last.getTime() - 2000));
  if (!last || !before) return { note: 'the schedule has no earlier runs to compare with' };
  const period = last.getTime() - before.getTime();
  const margin = Math.max(30 * 60_000, period / 10);
  const due = now.getTime() - last.getTime() > margin ? last : before;
  // A minute of slack: a file named for the 02:00 run may carry 01:59:59 from a clock a little behind.
  const maxAgeMs = now.getTime() - due.getTime() + 60_000;
  if (!newest) return { ok: false, maxAgeMs, note: 'no backup files yet' };
  const ok = newest.ageMs <= maxAgeMs;
  return {
    ok,
    maxAgeMs,
    newestAgeMs: newest.ageMs,
    note: ok ? 'the newest backup is from the last scheduled run' : `no backup since the run due ${due.toISOString()}`,
  };
}
