import type { Line } from '../src/config/thresholds.js';
import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, failedPartLine, plural, stamp, worstTone } from './aws-common.js';
import { cell, formatBytes, tableSections } from './db-format.js';
import { sparkline } from './progress.js';
import type { Reply, Tone } from './reply.js';

export interface StatsRow {
  kind: 'container' | 'process';
  name: string;
  /** The compose service, or the pm2 process name. */
  group: string;
  /** Oldest first, one per sample; CPU 100 % = one core, as docker stats and pm2 show it. */
  cpuPercent: number[];
  memoryBytes: number[];
  /** Memory as a share of the container's limit (or of the machine for pm2), per sample. */
  memoryPercent?: number[];
  /** What memoryPercent is of: "limit 512 MB" or "of 8 GB RAM". */
  memoryOf?: string;
}

export interface StatsView {
  env: string;
  checkedAt: Date;
  tookMs: number;
  samples: number;
  intervalMs: number;
  rows: StatsRow[];
  failed: { what: string; error: string }[];
  thresholds: { cpuPercent: Line; memoryPercent: Line };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Judged on the mean over all samples (a single spike is not a verdict), against the environment's app lines. */
export function judgeStat(values: number[] | undefined, line: Line): Tone {
  if (!values?.length) return 'ok';
  const m = mean(values);
  return m >= line.critical ? 'danger' : m >= line.warn ? 'warning' : 'ok';
}

export function statsJobTitle(env: string, samples: number): string {
  return `Stats of ${env} (${plural(samples, 'sample')})`;
}

/** `/ops stats`: CPU and memory per container or process, sparklines over the samples, verdict from the same means. */
export function renderStats(view: StatsView): Reply {
  const judged = view.rows.map((r) => {
    const cpu = judgeStat(r.cpuPercent, view.thresholds.cpuPercent);
    const mem = judgeStat(r.memoryPercent, view.thresholds.memoryPercent);
    return { row: r, cpu, mem, tone: worstTone([cpu, mem]) };
  });
  const tone = worstTone([...judged.map((j) => j.tone), ...view.failed.map((): Tone => 'warning')]);
  const over = judged.filter((j) => j.tone !== 'ok');
  const t = view.thresholds;
  const headline = over.length
    ? over
        .map((j) =>
          [
            j.cpu !== 'ok' ? `${j.row.name} CPU ${Math.round(mean(j.row.cpuPercent))}%` : '',
            j.mem !== 'ok' ? `${j.row.name} memory ${Math.round(mean(j.row.memoryPercent ?? []))}%` : '',
          ]
            .filter(Boolean)
            .join(', '),
        )
        .join('; ')
    : view.rows.length
      ? `CPU and memory within the lines (${t.cpuPercent.warn}% CPU, ${t.memoryPercent.warn}% memory)`
      : 'nothing running to measure';
  const blocks: KnownBlock[] = [section(`${TONE_ICON[tone]} *${escapeMrkdwn(view.env)}: ${escapeMrkdwn(headline)}*`)];
  const mark = (x: Tone) => (x === 'ok' ? ' ' : x === 'warning' ? '!' : '✗');
  if (view.rows.length)
    blocks.push(
      ...tableSections(
        ['NAME', 'CPU', '', 'CPU TREND', 'MEMORY', 'MEM %', '', 'MEM TREND'],
        judged.map(({ row, cpu, mem }) => [
          cell(row.name, 28),
          `${mean(row.cpuPercent).toFixed(1)}%`,
          mark(cpu),
          sparkline(row.cpuPercent),
          formatBytes(row.memoryBytes.at(-1) ?? 0),
          row.memoryPercent ? `${mean(row.memoryPercent).toFixed(1)}%` : '—',
          mark(mem),
          sparkline(row.memoryBytes),
        ]),
        ['l', 'r', 'l', 'l', 'r', 'r'],
      ),
    );
  for (const f of view.failed) blocks.push(section(failedPartLine(f.what, f.error)));
  const memoryOf = [...new Set(view.rows.map((r) => r.memoryOf).filter(Boolean))].join(', ');
  blocks.push(
    context(
      `means over ${plural(view.samples, 'sample')} ${view.intervalMs / 1000}s apart · CPU 100% = one core · lines: CPU ${t.cpuPercent.warn}/${t.cpuPercent.critical}%, memory ${t.memoryPercent.warn}/${t.memoryPercent.critical}%${memoryOf ? ` (memory % ${escapeMrkdwn(memoryOf)})` : ''}`,
      `env *${escapeMrkdwn(view.env)}* · ${stamp(view.checkedAt)} · took ${(view.tookMs / 1000).toFixed(1)}s`,
    ),
  );
  return { text: `${view.env}: ${headline}`, tone, blocks };
}
