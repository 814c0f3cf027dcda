import type { CostSummary } from './cost.js';
import { money } from './cost.js';

/** Colour-blind-safe palette (Okabe–Ito), the last for "other". */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#9E9EA6'];
const STACKED = 6;
const W = 900;
const H = 380;
const PAD = { top: 44, right: 16, bottom: 34, left: 64 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * One bar per day, stacked by the period's largest items (the rest as "other"); estimated days
 * are drawn lighter. Pure: returns SVG text (src/charts renders it to PNG).
 */
export function renderCostChartSvg(title: string, summary: CostSummary): string {
  const keys = summary.lines.slice(0, STACKED).map((l) => l.key);
  const days = summary.daily;
  const max = Math.max(0.01, ...days.map((d) => d.total)) * 1.1;
  const w = W - PAD.left - PAD.right;
  const h = H - PAD.top - PAD.bottom;
  const slot = w / Math.max(1, days.length);
  const bar = Math.max(2, slot * 0.7);
  const sy = (v: number) => PAD.top + h - (v / max) * h;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold" fill="#1d1c1d">${esc(title)}</text>`,
    `<line x1="${PAD.left}" y1="${sy(0)}" x2="${PAD.left + w}" y2="${sy(0)}" stroke="#c8c8cc"/>`,
  ];
  for (const v of [max / 1.1, max / 2.2]) {
    parts.push(
      `<line x1="${PAD.left}" y1="${sy(v).toFixed(1)}" x2="${PAD.left + w}" y2="${sy(v).toFixed(1)}" stroke="#eeeeee"/>`,
      `<text x="${PAD.left - 6}" y="${(sy(v) + 4).toFixed(1)}" font-size="10" text-anchor="end" fill="#616061">${esc(money(v, summary.unit))}</text>`,
    );
  }
  days.forEach((d, i) => {
    const x = PAD.left + i * slot + (slot - bar) / 2;
    let base = 0;
    const stack = [...keys.map((k) => d.top[k] ?? 0), d.total - keys.reduce((a, k) => a + (d.top[k] ?? 0), 0)];
    stack.forEach((v, j) => {
      if (v <= 0) return;
      const y0 = sy(base);
      const y1 = sy(base + v);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${bar.toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${PALETTE[j < keys.length ? j : PALETTE.length - 1]}"${d.estimated ? ' fill-opacity="0.55"' : ''}/>`,
      );
      base += v;
    });
    const every = Math.ceil(days.length / 10);
    if (i % every === 0 || i === days.length - 1)
      parts.push(
        `<text x="${(x + bar / 2).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle" fill="#616061">${d.date.slice(5)}</text>`,
      );
  });
  const legend = [...keys, 'other'];
  let lx = PAD.left;
  legend.forEach((k, j) => {
    const color = PALETTE[j < keys.length ? j : PALETTE.length - 1];
    const label = k.length > 28 ? `${k.slice(0, 27)}…` : k;
    parts.push(
      `<rect x="${lx}" y="30" width="10" height="10" fill="${color}"/>`,
      `<text x="${lx + 14}" y="39" font-size="10" fill="#1d1c1d">${esc(label)}</text>`,
    );
    lx += 22 + label.length * 6;
  });
  parts.push('</svg>');
  return parts.join('\n');
}
