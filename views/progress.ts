/** "▰▰▰▰▱▱▱▱▱▱ 40%": a progress bar that reads well in Slack and in a terminal. */
export function progressBar(percent: number, width = 10): string {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  const filled = Math.round((p / 100) * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${p}%`;
}

const SPARK = '▁▂▃▄▅▆▇█';

/** "▁▂▅█▃": a one-line chart of a series; gaps (null) show as a space. */
export function sparkline(values: (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return '';
  const min = Math.min(...present);
  const span = Math.max(...present) - min;
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      const i = span === 0 ? 3 : Math.round(((v - min) / span) * (SPARK.length - 1));
      return SPARK[i];
    })
    .join('');
}
