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
