import type { QueryResultRow } from 'pg';
import type { AlertMetric } from '../core/alert.js';
import type { Severity } from '../core/severity.js';

// The shapes of the alerts and alert_messages rows, and their mapping from pg rows (AlertRepository's).

export interface StoredAlert {
  id: string;
  key: string;
  source: string;
  title: string;
  state: 'firing' | 'resolved';
  severity: Severity;
  environment?: string;
  reason?: string;
  metric?: AlertMetric;
  link?: string;
  alarmName?: string;
  channelId: string;
  routeIndex?: number;
  messageId?: string;
  firstSeen: Date;
  lastSeen: Date;
  resolvedAt?: Date;
  count: number;
  ackedBy?: string;
  ackedAt?: Date;
  silenceId?: string;
  incidentBy?: string;
  /** The Slack message showing the alert, when listed with it. */
  messageTs?: string;
}

export interface AlertMessage {
  id: string;
  channelId: string;
  groupKey: string;
  kind: 'group' | 'storm';
  routeIndex?: number;
  open: boolean;
  createdAt: Date;
  ts?: string;
  version: number;
  syncedVersion: number;
  /** When the outbox first set out to post it (a post may have reached Slack without its ts being stored). */
  postStartedAt?: Date;
}

export function toAlert(r: QueryResultRow): StoredAlert {
  return {
    id: String(r.id),
    key: r.dedupe_key,
    source: r.source,
    title: r.title,
    state: r.state,
    severity: r.severity,
    environment: r.environment ?? undefined,
    reason: r.reason ?? undefined,
    metric: r.metric ?? undefined,
    link: r.link ?? undefined,
    alarmName: r.alarm_name ?? undefined,
    channelId: r.channel_id,
    routeIndex: r.route_index ?? undefined,
    messageId: r.message_id ? String(r.message_id) : undefined,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    resolvedAt: r.resolved_at ?? undefined,
    count: r.count,
    ackedBy: r.acked_by ?? undefined,
    ackedAt: r.acked_at ?? undefined,
    silenceId: r.silence_id ? String(r.silence_id) : undefined,
    incidentBy: r.incident_by ?? undefined,
    messageTs: r.message_ts ?? undefined,
  };
}

export function toMessage(r: QueryResultRow): AlertMessage {
  return {
    id: String(r.id),
    channelId: r.channel_id,
    groupKey: r.group_key,
    kind: r.kind,
    routeIndex: r.route_index ?? undefined,
    open: r.open,
    createdAt: r.created_at,
    ts: r.ts ?? undefined,
    version: r.version,
    syncedVersion: r.synced_version,
    postStartedAt: r.post_started_at ?? undefined,
  };
}
