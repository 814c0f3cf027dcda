import { context, escapeMrkdwn, type KnownBlock } from './blocks.js';
import { alignedSections } from './table.js';

/** Small formatting helpers shared by the /ops db views. */

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** "850ms", "12.4s", "7m 05s", "2h 14m", "3d 4h". */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Milliseconds of query time: "0.42 ms", "35 ms", "1.8 s", "3.1 h". */
export function formatQueryMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** 1234 → "1,234"; large estimates → "1.2M". */
export function formatCount(n: number): string {
  if (n >= 10_000_000) return `${(n / 1_000_000).toFixed(0)}M`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  return Math.round(n).toLocaleString('en-US');
}

export function formatPercent(ratio: number | null, digits = 1): string {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(digits)}%`;
}

/** "3h ago", "never". */
export function timeAgo(date: Date | null, now: Date): string {
  if (!date) return 'never';
  return `${formatAge(now.getTime() - date.getTime())} ago`;
}

/** A query as inline code on one line; backticks would end the code span, so they become look-alikes. */
export function inlineQuery(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim() || '(no query text)';
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return `\`${escapeMrkdwn(cut.replace(/`/g, 'ˋ'))}\``;
}

export function qualifiedName(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`;
}

/** "▰▰▰▰▰▰▱▱│▱▱ 62%": a bar with a mark at the threshold, so the gap to the limit is visible. */
export function thresholdBar(percent: number, thresholdPercent: number, width = 20): string {
  const p = Math.max(0, Math.min(100, percent));
  const filled = Math.round((p / 100) * width);
  const mark = Math.min(width - 1, Math.max(0, Math.round((thresholdPercent / 100) * width)));
  const cells: string[] = Array.from({ length: width }, (_, i) => (i < filled ? '▰' : '▱'));
  cells.splice(mark, 0, '│');
  return `${cells.join('')} ${Math.round(percent)}%`;
}

/**
 * Columns aligned in code blocks (what a person reading a table wants), split
 * into as many sections as Slack's 3,000-character limit needs (views/table.ts).
 */
export function tableSections(headers: string[], rows: string[][], align: ('l' | 'r')[] = []): KnownBlock[] {
  return alignedSections(
    headers,
    rows,
    align.map((a) => (a === 'r' ? 'right' : 'left')),
  );
}

/** Cuts a cell to a width, with an ellipsis. */
export function cell(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function envContext(env: string, ...parts: (string | undefined)[]): KnownBlock {
  return context([`env *${env}*`, ...parts.filter((p): p is string => Boolean(p))].join(' · '));
}
