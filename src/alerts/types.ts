import type { Severity } from '../core/severity.js';
import { DEFAULT_SEVERITY_WORDS } from '../config/defaults.js';

export { SEVERITIES } from '../core/severity.js';
export type { Severity } from '../core/severity.js';
export type { AlertMetric, NormalizedAlert } from '../core/alert.js';

/** Synonyms of the words in DEFAULT_SEVERITY_WORDS. */
const SYNONYMS: Record<string, string> = {
  crit: 'critical',
  page: 'critical',
  emergency: 'critical',
  fatal: 'critical',
  warn: 'warning',
  notice: 'low',
  none: 'info',
  debug: 'info',
};

/**
 * A word such as critical/high/warning/info, or P0–P4, as a severity. The words follow the labels
 * of the severity table (ESN: P0 Critical, P1 High, P2 Medium, P3 Low; see DEFAULT_SEVERITY_WORDS).
 */
export function toSeverity(
  value: unknown,
  words: Record<string, string> = DEFAULT_SEVERITY_WORDS,
): Severity | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (/^p[0-4]$/.test(v)) return v.toUpperCase() as Severity;
  const level = words[v] ?? words[SYNONYMS[v] ?? ''];
  return level && /^P[0-4]$/.test(level) ? (level as Severity) : undefined;
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
