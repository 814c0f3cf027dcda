import type { Severity } from './severity.js';

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
  source: 'cloudwatch' | 'alertmanager' | 'generic' | 'sns' | 'synthetic';
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
