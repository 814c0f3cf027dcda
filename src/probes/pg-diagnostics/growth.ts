/** Growth of a database from daily samples, and when it fills the storage it has. */

export interface GrowthPoint {
  /** Milliseconds since epoch of the sample. */
  at: number;
  bytes: number;
}

export interface Growth {
  /** Least-squares slope over the samples, bytes per day (negative when shrinking). */
  bytesPerDay: number;
  /** Newest minus oldest sample. */
  changeBytes: number;
  spanDays: number;
}

const DAY_MS = 86_400_000;

/** The trend of the samples; undefined with fewer than two samples or all on one day. */
export function growthOf(points: GrowthPoint[]): Growth | undefined {
  if (points.length < 2) return undefined;
  const xs = points.map((p) => (p.at - points[0].at) / DAY_MS);
  const spanDays = xs[xs.length - 1];
  if (spanDays <= 0) return undefined;
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = points.reduce((a, p) => a + p.bytes, 0) / points.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - meanX) * (points[i].bytes - meanY);
    den += (x - meanX) ** 2;
  });
  return {
    bytesPerDay: den === 0 ? 0 : num / den,
    changeBytes: points[points.length - 1].bytes - points[0].bytes,
    spanDays,
  };
}

/** Days until `freeBytes` are used at the growth rate; undefined when not growing. */
export function daysUntilFull(freeBytes: number, growth: Growth | undefined): number | undefined {
  if (!growth || growth.bytesPerDay <= 0) return undefined;
  return Math.max(0, freeBytes / growth.bytesPerDay);
}
