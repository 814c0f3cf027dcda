import { CronExpressionParser } from 'cron-parser';
import { parseDuration } from '../duration.js';
import { DEFAULT_BACKUP_SCHEDULE } from './defaults.js';

/** How fresh the newest backup must be: one schedule period plus a margin (defaults.ts names the guides). */
export interface BackupFreshness {
  cron: string;
  periodMs: number;
  marginMs: number;
}

/** The gap between two consecutive runs of `cron` (for a daily schedule, 24 h). */
export function cronPeriodMs(cron: string, timezone = 'UTC', from = new Date()): number | undefined {
  try {
    const it = CronExpressionParser.parse(cron, { tz: timezone, currentDate: from });
    const a = it.next().toDate();
    const b = it.next().toDate();
    return b.getTime() - a.getTime();
  } catch {
    return undefined;
  }
}

export function backupFreshness(
  given: { schedule?: string; margin?: number } | undefined,
  timezone = 'UTC',
): BackupFreshness {
  const cron = given?.schedule ?? DEFAULT_BACKUP_SCHEDULE.cron;
  return {
    cron,
    periodMs: cronPeriodMs(cron, timezone) ?? 86_400_000,
    marginMs: given?.margin ?? parseDuration(DEFAULT_BACKUP_SCHEDULE.margin)!,
  };
}
