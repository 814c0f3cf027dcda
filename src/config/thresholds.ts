import { z } from 'zod';
import { durationSchema, parseDuration } from '../duration.js';
import { DEFAULT_LINES, type LineDefault } from './defaults.js';

/** A resolved line pair: yellow past `warn`, red past `critical` for at least `forMs`. */
export interface Line {
  warn: number;
  critical: number;
  forMs: number;
}

type Component = keyof typeof DEFAULT_LINES;
type Lines<C extends Component> = { [K in keyof (typeof DEFAULT_LINES)[C]]: Line };
export interface ResolvedThresholds {
  app: Lines<'app'>;
  db: Lines<'db'>;
  cache: Lines<'cache'>;
  /** Lines the file set explicitly, as "db.connections"; absolute connection lines are shown only then (or without a max). */
  explicit: string[];
}

/** `cpuPercent: 75` (the warning line) or `{ warn, critical, for }`, any part of it. */
const lineInput = z.union([
  z.number().min(0),
  z.strictObject({
    warn: z.number().min(0).optional(),
    critical: z.number().min(0).optional(),
    for: durationSchema.optional(),
  }),
]);

const componentSchema = <C extends Component>(c: C) =>
  z.strictObject(Object.fromEntries(Object.keys(DEFAULT_LINES[c]).map((k) => [k, lineInput.optional()]))).optional();

const pct = z.number().min(0).max(100).optional();

/** The flat keys of the first format; each sets the warning line of the metrics it used to govern. */
const OLD_KEY_TARGETS = {
  cpuPercent: ['app.cpuPercent', 'db.cpuPercent', 'cache.cpuPercent'],
  memoryPercent: ['app.memoryPercent', 'cache.memoryPercent'],
  dbConnectionsPercent: ['db.connectionsPercent'],
  freeStorageGb: ['db.freeStorageGb'],
  p95LatencyMs: ['app.p95LatencyMs'],
  errorRatePercent: ['app.error5xxPercent', 'app.error4xxPercent'],
  cacheHitPercent: ['cache.hitPercent'],
} as const;

export const thresholdsSchema = z
  .strictObject({
    app: componentSchema('app'),
    db: componentSchema('db'),
    cache: componentSchema('cache'),
    cpuPercent: pct,
    memoryPercent: pct,
    dbConnectionsPercent: pct,
    freeStorageGb: z.number().min(0).optional(),
    p95LatencyMs: z.number().min(0).optional(),
    errorRatePercent: pct,
    cacheHitPercent: pct,
  })
  .transform((given) => resolveThresholds(given));

type Given = Record<string, unknown>;
type LineGiven = number | { warn?: number; critical?: number; for?: number };

/** Lower-is-worse lines (free storage, hit ratios) have critical below warn. */
function isMinLine(d: LineDefault): boolean {
  return d.critical < d.warn;
}

function merge(d: LineDefault, given: LineGiven | undefined): Line {
  const base: Line = { warn: d.warn, critical: d.critical, forMs: parseDuration(d.for) ?? 0 };
  if (given === undefined) return base;
  const g = typeof given === 'number' ? { warn: given } : given;
  const line = { warn: g.warn ?? base.warn, critical: g.critical ?? base.critical, forMs: g.for ?? base.forMs };
  // A warning line moved past the default critical one drags the critical line along (half the remaining room).
  if (g.critical === undefined) {
    if (isMinLine(d) && line.warn <= line.critical) line.critical = line.warn * 0.4;
    if (!isMinLine(d) && line.warn >= line.critical) line.critical = line.warn + Math.max(1, (100 - line.warn) / 2);
  }
  return line;
}

/** Defaults from the guides, then the old flat keys, then the per-component lines (most specific wins). */
export function resolveThresholds(given: Given = {}): ResolvedThresholds {
  const explicit: string[] = [];
  const fromOld: Record<string, number> = {};
  for (const [key, targets] of Object.entries(OLD_KEY_TARGETS)) {
    const v = given[key];
    if (typeof v === 'number') for (const t of targets) fromOld[t] = v;
  }
  const out = { explicit } as ResolvedThresholds;
  for (const c of Object.keys(DEFAULT_LINES) as Component[]) {
    const defaults = DEFAULT_LINES[c] as Record<string, LineDefault>;
    const own = (given[c] ?? {}) as Record<string, LineGiven | undefined>;
    const lines: Record<string, Line> = {};
    for (const [k, d] of Object.entries(defaults)) {
      const path = `${c}.${k}`;
      const old = fromOld[path];
      let line = merge(d, old);
      if (own[k] !== undefined) {
        const g = own[k]!;
        line = merge({ warn: line.warn, critical: line.critical, for: `${line.forMs}ms` }, g);
        explicit.push(path);
      } else if (old !== undefined) explicit.push(path);
      lines[k] = line;
    }
    (out as unknown as Record<string, unknown>)[c] = lines;
  }
  return out;
}

export const DEFAULT_RESOLVED_THRESHOLDS: ResolvedThresholds = resolveThresholds();
