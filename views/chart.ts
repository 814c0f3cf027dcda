import { COLORS, type Tone } from './reply.js';

export interface ChartPanel {
  title: string;
  /** Already formatted, e.g. "42.0 %". */
  latest: string;
  tone: Tone;
  /** Oldest first. */
  points: { at: Date; value: number }[];
  limit?: { kind: 'max' | 'min'; warn: number; critical: number };
  /** Percentages are drawn on 0–100 so panels compare at a glance. */
  percent: boolean;
}

export interface ChartView {
  title: string;
  start: Date;
  end: Date;
  panels: ChartPanel[];
}

const PANEL_W = 300;
const PANEL_H = 150;
const COLS = 3;
const PAD = { top: 28, right: 10, bottom: 20, left: 44 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function hhmm(d: Date): string {
  return d.toISOString().slice(11, 16);
}

function axisLabel(v: number): string {
  const a = Math.abs(v);
  return a >= 1000 ? `${(v / 1000).toFixed(1)}k` : a >= 10 ? v.toFixed(0) : v.toFixed(1);
}

function panelSvg(p: ChartPanel, x0: number, y0: number, start: number, end: number): string {
  const w = PANEL_W - PAD.left - PAD.right;
  const h = PANEL_H - PAD.top - PAD.bottom;
  const values = p.points.map((pt) => pt.value);
  const limits = p.limit ? [p.limit.warn, p.limit.critical] : [];
  let lo = p.percent ? 0 : Math.min(0, ...values);
  let hi = p.percent ? 100 : Math.max(...values, ...limits.filter((l) => l <= Math.max(...values, 0) * 2));
  if (hi <= lo) hi = lo + 1;
  if (!p.percent) hi *= 1.1;
  if (p.percent && Math.max(...values) > 100) hi = Math.max(...values);
  lo = Math.min(lo, hi - 1);
  const sx = (t: number) => x0 + PAD.left + ((t - start) / (end - start)) * w;
  const sy = (v: number) => y0 + PAD.top + h - ((v - lo) / (hi - lo)) * h;
  const parts: string[] = [];
  parts.push(
    `<rect x="${x0 + 4}" y="${y0 + 4}" width="${PANEL_W - 8}" height="${PANEL_H - 8}" rx="6" fill="#fafafa" stroke="#e3e3e6"/>`,
  );
  parts.push(
    `<text x="${x0 + 12}" y="${y0 + 20}" font-size="12" font-weight="bold" fill="#1d1c1d">${esc(p.title)}</text>`,
  );
  parts.push(
    `<text x="${x0 + PANEL_W - 12}" y="${y0 + 20}" font-size="12" text-anchor="end" fill="${COLORS[p.tone]}">${esc(p.latest)}</text>`,
  );
  parts.push(`<line x1="${x0 + PAD.left}" y1="${sy(lo)}" x2="${x0 + PAD.left + w}" y2="${sy(lo)}" stroke="#c8c8cc"/>`);
  parts.push(
    `<text x="${x0 + PAD.left - 4}" y="${sy(hi) + 4}" font-size="9" text-anchor="end" fill="#616061">${axisLabel(hi)}</text>`,
  );
  parts.push(
    `<text x="${x0 + PAD.left - 4}" y="${sy(lo)}" font-size="9" text-anchor="end" fill="#616061">${axisLabel(lo)}</text>`,
  );
  parts.push(
    `<text x="${x0 + PAD.left}" y="${y0 + PANEL_H - 6}" font-size="9" fill="#616061">${hhmm(new Date(start))}</text>`,
  );
  parts.push(
    `<text x="${x0 + PAD.left + w}" y="${y0 + PANEL_H - 6}" font-size="9" text-anchor="end" fill="#616061">${hhmm(new Date(end))}</text>`,
  );
  if (p.limit) {
    for (const [value, color] of [
      [p.limit.warn, COLORS.warning],
      [p.limit.critical, COLORS.danger],
    ] as const) {
      if (value < lo || value > hi) continue;
      parts.push(
        `<line x1="${x0 + PAD.left}" y1="${sy(value).toFixed(1)}" x2="${x0 + PAD.left + w}" y2="${sy(value).toFixed(1)}" stroke="${color}" stroke-dasharray="4 3"/>`,
      );
    }
  }
  // A gap longer than three periods breaks the line, so missing datapoints stay visible.
  const gap = p.points.length > 1 ? ((end - start) / Math.max(p.points.length, 2)) * 3 : Infinity;
  let path = '';
  let prev: number | undefined;
  for (const pt of p.points) {
    const t = pt.at.getTime();
    path += `${prev === undefined || t - prev > gap ? 'M' : 'L'}${sx(t).toFixed(1)},${sy(pt.value).toFixed(1)} `;
    prev = t;
  }
  if (path) parts.push(`<path d="${path.trim()}" fill="none" stroke="${COLORS.info}" stroke-width="1.8"/>`);
  if (p.points.length === 1)
    parts.push(
      `<circle cx="${sx(p.points[0].at.getTime()).toFixed(1)}" cy="${sy(p.points[0].value).toFixed(1)}" r="2.5" fill="${COLORS.info}"/>`,
    );
  return parts.join('\n');
}

/** Small multiples of the window, one panel per metric with data, thresholds dashed. Pure: returns SVG text. */
export function renderMetricsChartSvg(view: ChartView): string {
  const panels = view.panels.filter((p) => p.points.length > 0);
  const rows = Math.max(1, Math.ceil(panels.length / COLS));
  const width = PANEL_W * COLS;
  const height = rows * PANEL_H + 36;
  const start = view.start.getTime();
  const end = view.end.getTime();
  const body = panels.map((p, i) => panelSvg(p, (i % COLS) * PANEL_W, 32 + Math.floor(i / COLS) * PANEL_H, start, end));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold" fill="#1d1c1d">${esc(view.title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}
