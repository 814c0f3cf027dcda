import { COLORS } from './reply.js';
import { drSpan, type DrReportView } from './dr-test.js';

const WIDTH = 900;
const GUTTER = 150;
const ROW_H = 44;
const BAR_H = 22;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The DR test report as a picture: one bar per objective (achieved RTO, RPO)
 * against a black target line, green within the target and red beyond it, then
 * one green or red line per check. Pure: returns SVG text.
 */
export function renderDrReportSvg(view: DrReportView): string {
  const bars = [
    { label: 'RTO', achieved: view.rtoMs, target: view.rtoTargetMs },
    { label: 'RPO', achieved: view.rpoMs, target: view.rpoTargetMs },
  ];
  const lines = view.lines.slice(0, 12);
  const top = 56;
  const linesTop = top + bars.length * ROW_H + 18;
  const height = linesTop + lines.length * 22 + 16;
  const plotW = WIDTH - GUTTER - 150;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="24" font-size="16" font-weight="bold" fill="${view.passed ? COLORS.ok : COLORS.danger}">${esc(`${view.passed ? 'PASSED' : 'FAILED'} — DR test of ${view.env}`)}</text>`,
    `<text x="12" y="42" font-size="11" fill="#616061">${esc(`${view.method === 'snapshot' ? 'snapshot' : 'point in time'} ${view.source} · ${view.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`)}</text>`,
  ];
  bars.forEach((bar, i) => {
    const y = top + i * ROW_H;
    const scale = Math.max(bar.target, bar.achieved ?? 0) * 1.25 || 1;
    const x = (ms: number) => GUTTER + (ms / scale) * plotW;
    const ok = bar.achieved !== undefined && bar.achieved <= bar.target;
    out.push(
      `<text x="12" y="${y + BAR_H / 2 + 5}" font-size="13" font-weight="bold" fill="#1d1c1d">${bar.label}</text>`,
    );
    out.push(`<rect x="${GUTTER}" y="${y}" width="${plotW}" height="${BAR_H}" fill="#f4f4f6"/>`);
    if (bar.achieved !== undefined)
      out.push(
        `<rect x="${GUTTER}" y="${y}" width="${Math.max(1, x(bar.achieved) - GUTTER).toFixed(1)}" height="${BAR_H}" rx="3" fill="${ok ? COLORS.ok : COLORS.danger}"/>`,
      );
    const tx = x(bar.target).toFixed(1);
    out.push(`<line x1="${tx}" y1="${y - 4}" x2="${tx}" y2="${y + BAR_H + 4}" stroke="#1d1c1d" stroke-width="2"/>`);
    if (i === 0)
      out.push(`<text x="${tx}" y="${y - 7}" font-size="9" fill="#616061" text-anchor="middle">target</text>`);
    out.push(
      `<text x="${GUTTER + plotW + 10}" y="${y + BAR_H / 2 + 5}" font-size="12" fill="${ok ? COLORS.ok : COLORS.danger}">${esc(`${bar.achieved === undefined ? 'not measured' : drSpan(bar.achieved)} / ${drSpan(bar.target)}`)}</text>`,
    );
  });
  lines.forEach((line, i) => {
    const y = linesTop + i * 22;
    const colour = line.ok ? COLORS.ok : COLORS.danger;
    out.push(`<rect x="12" y="${y}" width="6" height="16" fill="${colour}"/>`);
    out.push(
      `<text x="26" y="${y + 13}" font-size="12" fill="${colour}">${esc(`${line.ok ? '✓' : '✗'} ${line.text}`)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
