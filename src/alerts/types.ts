import { DEFAULT_SEVERITY_WORDS } from '../config/defaults.js';
export type Severity = 'P0' | 'P1' | 'P2' | 'P3' | 'P4';
export const SEVERITIES: Severity[] = ['P0', 'P1', 'P2', 'P3', 'P4'];

export interface AlertMetric {
  namespace?: string;
  name?: string;
  dimensions?: Record<string, string>;
  statistic?: string;
  period?: number;
  comparison?: string;
  threshold?: number;
}

/** Every intake (SNS, webhook, poller) produces this one shape. */
export interface NormalizedAlert {
  source: 'cloudwatch' | 'alertmanager' | 'generic' | 'sns';
  /** Repeats of the same problem share this key (a CloudWatch alarm ARN, an Alertmanager fingerprint…). */
  key: string;
  title: string;
  state: 'firing' | 'resolved';
  /** The sender's own severity, when it has one; routes may override it. */
  severity?: Severity;
  environment?: string;
  reason?: string;
  alarmName?: string;
  metric?: AlertMetric;
  /** When the sender says the state changed (ISO 8601). */
  at: string;
  link?: string;
}

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
