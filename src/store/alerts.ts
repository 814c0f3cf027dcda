import type { Pool } from './pool.js';
import type { NormalizedAlert } from '../core/alert.js';
import type { Severity } from '../core/severity.js';
import { toAlert, toMessage, type AlertMessage, type StoredAlert } from './alert-rows.js';

export type { AlertMessage, StoredAlert } from './alert-rows.js';
const ID = /^\d{1,18}$/;

/** Alerts, the Slack messages they are grouped into, and the poller's last-seen states. */
export class AlertRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Inserts the firing alert or counts one more notification of it. With `notificationId`, the id is claimed
   * in the same statement: a notification seen before (a job retry, a redelivery) leaves the count alone.
   */
  async upsertFiring(
    a: NormalizedAlert,
    route: { channel: string; index?: number; severity: Severity },
    silenceId?: string,
    notificationId?: string,
  ): Promise<{ alert: StoredAlert; inserted: boolean; repeat: boolean }> {
    const { rows } = await this.pool.query(
      `WITH claim AS (
         INSERT INTO alert_notifications (id) SELECT $13::text WHERE $13::text IS NOT NULL
         ON CONFLICT (id) DO NOTHING RETURNING 1
       ), fresh AS (SELECT $13::text IS NULL OR EXISTS (SELECT 1 FROM claim) AS fresh)
       INSERT INTO alerts (dedupe_key, source, title, state, severity, environment, reason, metric, link, alarm_name, channel_id, route_index, silence_id)
       VALUES ($1, $2, $3, 'firing', $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (dedupe_key) WHERE state = 'firing' DO UPDATE
         SET count = alerts.count + CASE WHEN (SELECT fresh FROM fresh) THEN 1 ELSE 0 END,
             last_seen = now(), reason = COALESCE(EXCLUDED.reason, alerts.reason),
             silence_id = COALESCE(EXCLUDED.silence_id, alerts.silence_id)
       RETURNING *, (xmax = 0) AS inserted, NOT (SELECT fresh FROM fresh) AS repeat`,
      [
        a.key,
        a.source,
        a.title,
        route.severity,
        a.environment ?? null,
        a.reason ?? null,
        a.metric ? JSON.stringify(a.metric) : null,
        a.link ?? null,
        a.alarmName ?? null,
        route.channel,
        route.index ?? null,
        silenceId ?? null,
        notificationId ?? null,
      ],
    );
    return { alert: toAlert(rows[0]), inserted: rows[0].inserted, repeat: rows[0].repeat };
  }

  /** Forgets notification ids older than `maxAgeMs` (redeliveries come within minutes, not days). */
  async pruneNotifications(maxAgeMs = 86_400_000): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM alert_notifications WHERE seen_at < now() - make_interval(secs => $1::double precision / 1000)`,
      [maxAgeMs],
    );
    return rowCount ?? 0;
  }

  async resolve(key: string): Promise<StoredAlert | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE alerts SET state = 'resolved', resolved_at = now(), last_seen = now() WHERE dedupe_key = $1 AND state = 'firing' RETURNING *`,
      [key],
    );
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  async get(id: string): Promise<StoredAlert | undefined> {
    if (!ID.test(id)) return undefined;
    const { rows } = await this.pool.query('SELECT * FROM alerts WHERE id = $1', [id]);
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  async acknowledge(id: string, userId: string): Promise<StoredAlert | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE alerts SET acked_by = $2, acked_at = now() WHERE id = $1 AND state = 'firing' AND acked_by IS NULL RETURNING *`,
      [id, userId],
    );
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  async acknowledgeMessage(messageId: string, userId: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE alerts SET acked_by = $2, acked_at = now() WHERE message_id = $1 AND state = 'firing' AND acked_by IS NULL`,
      [messageId, userId],
    );
    return rowCount ?? 0;
  }

  /** Marks that an incident was opened for the alert; false when one already was. */
  async markIncident(id: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE alerts SET incident_by = $2, incident_at = now() WHERE id = $1 AND incident_at IS NULL`,
      [id, userId],
    );
    return (rowCount ?? 0) > 0;
  }

  async setSilence(ids: string[], silenceId: string | null): Promise<StoredAlert[]> {
    const { rows } = await this.pool.query(
      `UPDATE alerts SET silence_id = $2 WHERE id = ANY($1::bigint[]) RETURNING *`,
      [ids, silenceId],
    );
    return rows.map(toAlert);
  }

  async firing(): Promise<StoredAlert[]> {
    const { rows } = await this.pool.query(
      `SELECT a.*, m.ts AS message_ts FROM alerts a LEFT JOIN alert_messages m ON m.id = a.message_id
        WHERE a.state = 'firing' ORDER BY a.severity, a.first_seen LIMIT 500`,
    );
    return rows.map(toAlert);
  }

  async silencedBy(silenceId: string): Promise<StoredAlert[]> {
    const { rows } = await this.pool.query(`SELECT * FROM alerts WHERE silence_id = $1 ORDER BY first_seen`, [
      silenceId,
    ]);
    return rows.map(toAlert);
  }

  /** New alerts shown in a channel lately, for storm detection. */
  async recentInChannel(channelId: string, windowMs: number): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT count(*)::int AS n FROM alerts WHERE channel_id = $1 AND message_id IS NOT NULL AND first_seen > now() - make_interval(secs => $2::double precision / 1000)`,
      [channelId, windowMs],
    );
    return rows[0].n;
  }

  /**
   * Joins the open message for (channel, group key) while its window lasts, or
   * opens one. A storm message's window slides with each alert. Returns
   * undefined when an expired message still holds the slot (the caller closes it and retries).
   */
  async joinOpenMessage(
    channelId: string,
    groupKey: string,
    kind: 'group' | 'storm',
    routeIndex: number | undefined,
    windowMs: number,
  ): Promise<string | undefined> {
    const { rows } = await this.pool.query(
      `INSERT INTO alert_messages (channel_id, group_key, kind, route_index, window_ends_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::double precision / 1000))
       ON CONFLICT (channel_id, group_key) WHERE open DO UPDATE
         SET version = alert_messages.version + 1,
             window_ends_at = CASE WHEN alert_messages.kind = 'storm' THEN EXCLUDED.window_ends_at ELSE alert_messages.window_ends_at END
         WHERE alert_messages.window_ends_at > now()
       RETURNING id`,
      [channelId, groupKey, kind, routeIndex ?? null, windowMs],
    );
    return rows[0] ? String(rows[0].id) : undefined;
  }

  async closeExpired(channelId: string, groupKey: string): Promise<void> {
    await this.pool.query(
      `UPDATE alert_messages SET open = false WHERE channel_id = $1 AND group_key = $2 AND open AND window_ends_at <= now()`,
      [channelId, groupKey],
    );
  }

  /** Puts the alert into the message and moves the message's version in the same statement, so a render never misses it. */
  async attach(alertId: string, messageId: string): Promise<void> {
    await this.pool.query(
      `WITH moved AS (UPDATE alerts SET message_id = $2, notified_at = now() WHERE id = $1)
       UPDATE alert_messages SET version = version + 1 WHERE id = $2`,
      [alertId, messageId],
    );
  }

  /** Something shown in the message changed: the outbox renders it again. */
  async touchMessage(messageId: string): Promise<void> {
    await this.pool.query('UPDATE alert_messages SET version = version + 1 WHERE id = $1', [messageId]);
  }

  async message(id: string): Promise<AlertMessage | undefined> {
    if (!ID.test(id)) return undefined;
    const { rows } = await this.pool.query('SELECT * FROM alert_messages WHERE id = $1', [id]);
    return rows[0] ? toMessage(rows[0]) : undefined;
  }

  async messageAlerts(messageId: string, limit = 500): Promise<{ alerts: StoredAlert[]; total: number }> {
    const { rows } = await this.pool.query(
      `SELECT *, count(*) OVER () AS total FROM alerts WHERE message_id = $1
        ORDER BY (state = 'firing') DESC, severity, first_seen LIMIT $2`,
      [messageId, limit],
    );
    return { alerts: rows.map(toAlert), total: rows[0] ? Number(rows[0].total) : 0 };
  }

  /** Records the intent to post (kept from the first attempt); returns when that first attempt began. */
  async markPostStarted(id: string): Promise<Date> {
    const { rows } = await this.pool.query(
      'UPDATE alert_messages SET post_started_at = COALESCE(post_started_at, now()) WHERE id = $1 RETURNING post_started_at',
      [id],
    );
    return rows[0].post_started_at;
  }

  async setMessageTs(id: string, ts: string): Promise<void> {
    await this.pool.query('UPDATE alert_messages SET ts = $2 WHERE id = $1 AND ts IS NULL', [id, ts]);
  }

  async markSynced(id: string, version: number): Promise<void> {
    await this.pool.query('UPDATE alert_messages SET synced_version = GREATEST(synced_version, $2) WHERE id = $1', [
      id,
      version,
    ]);
  }

  async unsyncedCount(): Promise<number> {
    const { rows } = await this.pool.query(
      'SELECT count(*)::int AS n FROM alert_messages WHERE synced_version < version',
    );
    return (rows[0] as { n: number }).n;
  }

  async unsyncedMessages(): Promise<AlertMessage[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM alert_messages WHERE synced_version < version ORDER BY id LIMIT 1000',
    );
    return rows.map(toMessage);
  }

  /** Unacknowledged, unsilenced firing alerts last notified longer ago than `afterMs`; marks them notified now. */
  async dueForRenotify(afterMs: number): Promise<StoredAlert[]> {
    const { rows } = await this.pool.query(
      `UPDATE alerts SET notified_at = now()
        WHERE state = 'firing' AND acked_by IS NULL AND silence_id IS NULL AND message_id IS NOT NULL
          AND notified_at < now() - make_interval(secs => $1::double precision / 1000)
       RETURNING *`,
      [afterMs],
    );
    return rows.map(toAlert);
  }

  /**
   * Records the poller's view of each alarm; returns those that are new or
   * changed state since the last poll (by any replica).
   */
  async recordPollStates(
    environment: string,
    alarms: { arn: string; state: string }[],
  ): Promise<{ arn: string; state: string; inserted: boolean }[]> {
    if (alarms.length === 0) return [];
    const { rows } = await this.pool.query(
      `INSERT INTO alert_poll_state (environment, alarm_arn, state)
       SELECT $1, arn, state FROM unnest($2::text[], $3::text[]) AS t(arn, state)
       ON CONFLICT (environment, alarm_arn) DO UPDATE SET state = EXCLUDED.state, updated_at = now()
         WHERE alert_poll_state.state <> EXCLUDED.state
       RETURNING alarm_arn, state, (xmax = 0) AS inserted`,
      [environment, alarms.map((a) => a.arn), alarms.map((a) => a.state)],
    );
    return rows.map((r) => ({ arn: r.alarm_arn, state: r.state, inserted: r.inserted }));
  }
}
