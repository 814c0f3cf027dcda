import type { EnvironmentConfig } from '../config/schema.js';
import { toSeverity, type AlertMetric, type NormalizedAlert } from './types.js';

/** Thrown for a payload that is JSON but none of the formats opsbot understands. */
export class PayloadError extends Error {}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** alerts.severityWords: severity words → P-levels (the defaults when not given). */
type Words = Record<string, string> | undefined;

/** "2015-06-03T17:43:27.123+0000" (CloudWatch's form) or any ISO string → ISO; now when missing or invalid. */
export function isoTime(value: unknown, fallback = new Date()): string {
  if (typeof value !== 'string' || value.startsWith('0001-')) return fallback.toISOString();
  const fixed = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const d = new Date(fixed);
  return Number.isNaN(d.getTime()) ? fallback.toISOString() : d.toISOString();
}

/** Which environment an alarm belongs to: by the environment's alarm name prefix, else by a region only one environment uses. */
export function environmentFor(
  alarmName: string | undefined,
  region: string | undefined,
  environments: Record<string, EnvironmentConfig>,
): string | undefined {
  const entries = Object.entries(environments);
  const byPrefix = entries.filter(([, env]) => env.alarms?.prefix && alarmName?.startsWith(env.alarms.prefix));
  if (byPrefix.length) return byPrefix.sort((a, b) => b[1].alarms!.prefix.length - a[1].alarms!.prefix.length)[0][0];
  const byRegion = entries.filter(([, env]) => region && env.region === region);
  return byRegion.length === 1 ? byRegion[0][0] : undefined;
}

/** arn:aws:cloudwatch:us-east-1:123456789012:alarm:Name → us-east-1 */
function regionOfArn(arn: unknown): string | undefined {
  return typeof arn === 'string' ? arn.split(':')[3] || undefined : undefined;
}

function consoleLink(region: string | undefined, alarmName: string): string | undefined {
  if (!region) return undefined;
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
}

/** CloudWatch alarm state → firing / resolved; INSUFFICIENT_DATA is neither and is skipped. */
function stateOf(value: unknown): 'firing' | 'resolved' | undefined {
  if (value === 'ALARM') return 'firing';
  if (value === 'OK') return 'resolved';
  return undefined;
}

export function isCloudWatchAlarmMessage(body: Json): boolean {
  return typeof body?.AlarmName === 'string' && typeof body?.NewStateValue === 'string';
}

/** The JSON CloudWatch publishes to SNS when an alarm changes state. */
export function fromCloudWatchMessage(
  m: Json,
  environments: Record<string, EnvironmentConfig>,
): NormalizedAlert | undefined {
  const state = stateOf(m.NewStateValue);
  if (!state) return undefined;
  const name = String(m.AlarmName);
  const region = regionOfArn(m.AlarmArn);
  const t = (m.Trigger ?? {}) as Json;
  const metric: AlertMetric | undefined =
    t.MetricName || t.Namespace
      ? {
          namespace: t.Namespace,
          name: t.MetricName,
          dimensions: Array.isArray(t.Dimensions)
            ? Object.fromEntries(t.Dimensions.map((d: Json) => [d.name ?? d.Name, String(d.value ?? d.Value)]))
            : undefined,
          statistic: t.Statistic ?? t.ExtendedStatistic,
          period: typeof t.Period === 'number' ? t.Period : undefined,
          comparison: t.ComparisonOperator,
          threshold: typeof t.Threshold === 'number' ? t.Threshold : undefined,
        }
      : t.Metrics
        ? { comparison: t.ComparisonOperator, threshold: typeof t.Threshold === 'number' ? t.Threshold : undefined }
        : undefined;
  return {
    source: 'cloudwatch',
    key: typeof m.AlarmArn === 'string' ? m.AlarmArn : `cloudwatch:${m.AWSAccountId ?? ''}:${name}`,
    title: name,
    state,
    reason: [m.AlarmDescription, m.NewStateReason].filter(Boolean).join(' — ') || undefined,
    alarmName: name,
    environment: environmentFor(name, region, environments),
    metric,
    at: isoTime(m.StateChangeTime),
    link: consoleLink(region, name),
  };
}

/** The EventBridge "CloudWatch Alarm State Change" event, forwarded to the webhook. */
export function fromEventBridgeAlarm(
  e: Json,
  environments: Record<string, EnvironmentConfig>,
): NormalizedAlert | undefined {
  const d = (e.detail ?? {}) as Json;
  const state = stateOf(d.state?.value);
  if (!state || typeof d.alarmName !== 'string') return undefined;
  const stat = d.configuration?.metrics?.[0]?.metricStat;
  const arn = Array.isArray(e.resources) ? e.resources[0] : undefined;
  return {
    source: 'cloudwatch',
    key: typeof arn === 'string' ? arn : `cloudwatch:${e.account ?? ''}:${d.alarmName}`,
    title: d.alarmName,
    state,
    reason: [d.configuration?.description, d.state?.reason].filter(Boolean).join(' — ') || undefined,
    alarmName: d.alarmName,
    environment: environmentFor(d.alarmName, e.region, environments),
    metric: stat
      ? {
          namespace: stat.metric?.namespace,
          name: stat.metric?.name,
          dimensions: stat.metric?.dimensions,
          statistic: stat.stat,
          period: stat.period,
        }
      : undefined,
    at: isoTime(d.state?.timestamp ?? e.time),
    link: consoleLink(e.region, d.alarmName),
  };
}

/** Prometheus Alertmanager webhook (version 4): one normalised alert per entry in `alerts`. */
export function fromAlertmanager(
  body: Json,
  environments: Record<string, EnvironmentConfig>,
  words?: Words,
): NormalizedAlert[] {
  const common = (body.commonLabels ?? {}) as Record<string, string>;
  return (body.alerts as Json[]).map((a) => {
    const labels = { ...common, ...(a.labels ?? {}) } as Record<string, string>;
    const ann = (a.annotations ?? {}) as Record<string, string>;
    const name = labels.alertname ?? 'alert';
    const envLabel = labels.environment ?? labels.env;
    const fingerprint =
      a.fingerprint ??
      Object.entries(labels)
        .sort()
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
    return {
      source: 'alertmanager' as const,
      key: `alertmanager:${fingerprint}`,
      title: ann.summary ? `${name}: ${ann.summary}` : name,
      state: a.status === 'resolved' ? ('resolved' as const) : ('firing' as const),
      severity: toSeverity(labels.severity ?? labels.priority, words),
      environment: envLabel && environments[envLabel] ? envLabel : undefined,
      reason: ann.description ?? ann.message,
      alarmName: name,
      at: isoTime(a.status === 'resolved' ? a.endsAt : a.startsAt),
      link: ann.runbook_url ?? a.generatorURL ?? body.externalURL,
    };
  });
}

/** opsbot's own small format: {source, key, title, severity, state, text, url}. */
export function fromGeneric(b: Json, environments: Record<string, EnvironmentConfig>, words?: Words): NormalizedAlert {
  if (typeof b.title !== 'string' || !b.title.trim()) throw new PayloadError('a generic alert needs a "title"');
  const state =
    b.state === undefined || ['firing', 'alarm', 'triggered', 'open'].includes(String(b.state).toLowerCase())
      ? 'firing'
      : ['resolved', 'ok', 'closed'].includes(String(b.state).toLowerCase())
        ? 'resolved'
        : undefined;
  if (!state) throw new PayloadError(`"state" must be firing or resolved, not "${b.state}"`);
  const source = typeof b.source === 'string' && b.source ? b.source : 'webhook';
  const env = typeof b.environment === 'string' && environments[b.environment] ? b.environment : undefined;
  return {
    source: 'generic',
    key: `${source}:${typeof b.key === 'string' && b.key ? b.key : b.title}`,
    title: b.title.trim().slice(0, 200),
    state,
    severity: toSeverity(b.severity, words),
    environment: env,
    reason: typeof b.text === 'string' ? b.text.slice(0, 2000) : undefined,
    alarmName: b.title.trim(),
    at: isoTime(b.time),
    link: typeof b.url === 'string' && /^https?:\/\//.test(b.url) ? b.url : undefined,
  };
}

/** Detects the webhook payload's format; alerts that are neither firing nor resolved are dropped. */
export function parseWebhookPayload(
  body: unknown,
  environments: Record<string, EnvironmentConfig>,
  words?: Words,
): NormalizedAlert[] {
  if (!body || typeof body !== 'object') throw new PayloadError('expected a JSON object');
  const b = body as Json;
  if (Array.isArray(b.alerts) && String(b.version) === '4') return fromAlertmanager(b, environments, words);
  if (isCloudWatchAlarmMessage(b))
    return [fromCloudWatchMessage(b, environments)].filter((a): a is NormalizedAlert => Boolean(a));
  if (b['detail-type'] === 'CloudWatch Alarm State Change')
    return [fromEventBridgeAlarm(b, environments)].filter((a): a is NormalizedAlert => Boolean(a));
  if ('title' in b) return [fromGeneric(b, environments, words)];
  throw new PayloadError(
    'unknown payload: send a CloudWatch alarm, an Alertmanager (version 4) webhook, or {source, key, title, severity, state, text, url}',
  );
}

/** An SNS Notification's Message: a CloudWatch alarm, or any other text (then the subject is the title). */
export function fromSnsNotification(
  n: { Message: string; Subject?: string; TopicArn: string; MessageId: string; Timestamp: string },
  environments: Record<string, EnvironmentConfig>,
): NormalizedAlert[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(n.Message);
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && isCloudWatchAlarmMessage(parsed as Json)) {
    return [fromCloudWatchMessage(parsed as Json, environments)].filter((a): a is NormalizedAlert => Boolean(a));
  }
  const title = (n.Subject ?? n.Message.split('\n')[0] ?? 'SNS notification').slice(0, 200);
  return [
    {
      source: 'sns',
      key: `sns:${n.TopicArn}:${title}`,
      title,
      state: 'firing',
      reason: n.Message.slice(0, 2000),
      at: isoTime(n.Timestamp),
    },
  ];
}
