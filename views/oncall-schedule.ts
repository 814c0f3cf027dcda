import { COLORS } from './reply.js';

/** The data a schedule picture is drawn from (src/oncall/schedule-picture.ts builds it). */
export interface ScheduleChart {
  title: string;
  start: Date;
  end: Date;
  now?: Date;
  days: { at: Date; label: string; weekStart: boolean }[];
  rows: { layer: string; bars: { start: Date; end: Date; userId: string; name: string; override: boolean }[] }[];
}

const WIDTH = 900;
const GUTTER = 110;
const TOP = 58;
const ROW_H = 40;
const BAR_H = 26;
const PALETTE = ['#1D9BD1', '#2EB67D', '#ECB22E', '#E01E5A', '#8E5AC8', '#E8912D', '#36C5F0', '#4A8C6F'];

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The same person gets the same colour in every row and every picture. */
function colourOf(userId: string): string {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** Fits a name into a bar of `width` pixels at about 6.5 px a character; empty when not even an initial fits. */
function fit(name: string, width: number): string {
  const room = Math.floor((width - 8) / 6.5);
  if (room < 1) return '';
  return name.length <= room ? name : room <= 1 ? name[0] : `${name.slice(0, room - 1)}…`;
}

/** Rows are layers, bars are shifts with the person's name; overrides are outlined; a red line marks now. Pure: returns SVG text. */
export function renderScheduleSvg(chart: ScheduleChart): string {
  const span = chart.end.getTime() - chart.start.getTime();
  const plotW = WIDTH - GUTTER - 12;
  const x = (d: Date) => GUTTER + ((d.getTime() - chart.start.getTime()) / span) * plotW;
  const height = TOP + chart.rows.length * ROW_H + 16;
  const many = chart.days.length > 14; // beyond two weeks only Mondays are labelled, so labels never overlap
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold" fill="#1d1c1d">${esc(chart.title)}</text>`,
  ];
  for (const day of chart.days) {
    const dx = x(day.at).toFixed(1);
    const stroke = day.weekStart ? '#c8c8cc' : '#ececef';
    out.push(`<line x1="${dx}" y1="${TOP - 12}" x2="${dx}" y2="${height - 12}" stroke="${stroke}"/>`);
    if (!many || day.weekStart)
      out.push(
        `<text x="${(Number(dx) + 3).toFixed(1)}" y="${TOP - 16}" font-size="9" fill="#616061">${esc(day.label)}</text>`,
      );
  }
  chart.rows.forEach((row, i) => {
    const y = TOP + i * ROW_H;
    out.push(
      `<text x="12" y="${y + ROW_H / 2 + 4}" font-size="12" font-weight="bold" fill="#1d1c1d">${esc(row.layer)}</text>`,
    );
    out.push(`<rect x="${GUTTER}" y="${y + (ROW_H - BAR_H) / 2}" width="${plotW}" height="${BAR_H}" fill="#f4f4f6"/>`);
    for (const bar of row.bars) {
      const bx = x(bar.start);
      const bw = Math.max(x(bar.end) - bx, 1);
      const by = y + (ROW_H - BAR_H) / 2;
      const outline = bar.override ? ` stroke="#1d1c1d" stroke-width="1.5" stroke-dasharray="4 2"` : '';
      out.push(
        `<rect x="${bx.toFixed(1)}" y="${by}" width="${bw.toFixed(1)}" height="${BAR_H}" rx="3" fill="${colourOf(bar.userId)}"${outline}><title>${esc(bar.name)}</title></rect>`,
      );
      const label = fit(bar.name, bw);
      if (label)
        out.push(
          `<text x="${(bx + 4).toFixed(1)}" y="${by + BAR_H / 2 + 4}" font-size="11" fill="#ffffff">${esc(label)}</text>`,
        );
    }
  });
  if (chart.now && chart.now >= chart.start && chart.now < chart.end) {
    const nx = x(chart.now).toFixed(1);
    out.push(
      `<line x1="${nx}" y1="${TOP - 8}" x2="${nx}" y2="${height - 12}" stroke="${COLORS.danger}" stroke-width="1.5"/>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
