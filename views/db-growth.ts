import type { Growth } from '../src/probes/pg-diagnostics/growth.js';
import { sparkline } from './progress.js';
import { formatBytes } from './db-format.js';

/** What /ops db size knows about growth and storage, besides today's size. */
export interface DbGrowthView {
  /** Database bytes per day over the window, oldest first; null for a day without a sample. */
  daily: (number | null)[];
  days: number;
  growth?: Growth;
  /** Storage the database lives on, when known (RDS: allocated storage and FreeStorageSpace). */
  storage?: { allocatedGb: number; freeGb?: number; maxAllocatedGb?: number };
  /** Days until the free storage is used at the growth rate; undefined when unknown or not growing. */
  daysLeft?: number;
  /** Why storage is unknown, when it is. */
  storageNote?: string;
}

/** The growth line: sparkline, change and rate, and the projection to full storage. */
export function growthLines(view: DbGrowthView): { lines: string[]; daysLeft?: number } {
  const samples = view.daily.filter((v) => v !== null).length;
  if (samples < 2 || !view.growth) {
    return {
      lines: [
        `*Growth:* ${samples} daily sample${samples === 1 ? '' : 's'} so far — the daily job records one a day; the trend shows from the second.`,
      ],
    };
  }
  const g = view.growth;
  const sign = g.changeBytes >= 0 ? '+' : '−';
  const lines = [
    `*Growth over ${view.days} days* \`${sparkline(view.daily)}\` ${sign}${formatBytes(Math.abs(g.changeBytes))} in ${Math.round(g.spanDays)} days (${g.bytesPerDay >= 0 ? '+' : '−'}${formatBytes(Math.abs(g.bytesPerDay))}/day)`,
  ];
  const daysLeft = view.daysLeft;
  if (view.storage?.freeGb !== undefined) {
    const autoscale = view.storage.maxAllocatedGb
      ? ` · autoscaling up to ${view.storage.maxAllocatedGb} GB`
      : ' · no storage autoscaling';
    lines.push(
      `*Storage:* ${formatBytes(view.storage.freeGb * 1024 ** 3)} free of ${view.storage.allocatedGb} GB${autoscale} — ${
        daysLeft === undefined
          ? 'not filling up at this rate'
          : `*full in about ${daysLeft < 1 ? 'less than a day' : `${Math.floor(daysLeft)} days`}* at this rate`
      }`,
    );
  } else {
    lines.push(`*Storage:* ${view.storageNote ?? 'size of the disk unknown'}; no projection.`);
  }
  return { lines, daysLeft };
}
