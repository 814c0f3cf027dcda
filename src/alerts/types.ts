import type { Severity } from '../core/severity.js';

export { SEVERITIES } from '../core/severity.js';
export type { Severity } from '../core/severity.js';
export type { AlertMetric, NormalizedAlert } from '../core/alert.js';

/** A word such as critical/warning/info or P0–P4, as a severity. */
export function toSeverity(value: unknown): Severity | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (/^p[0-4]$/.test(v)) return v.toUpperCase() as Severity;
  if (['critical', 'crit', 'page', 'emergency', 'fatal'].includes(v)) return 'P1';
  if (['high', 'error', 'major', 'warning', 'warn'].includes(v)) return 'P2';
  if (['low', 'minor', 'info', 'informational', 'notice'].includes(v)) return 'P3';
  if (['none', 'debug'].includes(v)) return 'P4';
  return undefined;
}

/** Glob with * and ? (whole string), as routes and silences use. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

export function globMatch(glob: string, value: string | undefined): boolean {
  return value !== undefined && globToRegExp(glob).test(value);
}
