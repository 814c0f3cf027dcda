import type { Pool } from './pool.js';

/**
 * Read-only views across the other features' tables for the handoff message
 * and the App Home tab: what is open now and what happened in a shift. Each
 * list is capped; the counts are exact.
 */

export interface OpenIncidentRow {
  id: number;
  title: string;
  severity: string;
  status: string;
  ownerId?: string;
  acknowledgedBy?: string;
  channelId?: string;
}
export interface FiringAlertRow {
  id: string;
  title: string;
  severity: string;
  channelId: string;
  ackedBy?: string;
  firstSeen: Date;
}
export interface PendingApprovalRow {
  id: string;
  commandText: string;
  requestedBy: string;
  approverRoles: string[];
  expiresAt: Date;
}
export interface DueChecklistRow {
  id: string;
  title: string;
  channelId: string;
  owner?: string;
  dueAt: Date;
}
export interface ShiftCounts {
  incidents: number;
  alerts: number;
  pages: number;
  acknowledged: number;
  /** Median time to acknowledge a page in the shift, in milliseconds. */
  medianAckMs?: number;
}

const LIMIT = 20;

export class OncallOverviewRepository {
  constructor(private readonly pool: Pool) {}

  async openIncidents(): Promise<OpenIncidentRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id, title, severity, status, owner_id, acknowledged_by, channel_id FROM incidents
        WHERE status <> 'resolved' ORDER BY severity, declared_at DESC LIMIT $1`,
      [LIMIT],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      title: r.title,
      severity: r.severity,
      status: r.status,
      ownerId: r.owner_id ?? undefined,
      acknowledgedBy: r.acknowledged_by ?? undefined,
      channelId: r.channel_id ?? undefined,
    }));
  }

  async firingAlerts(): Promise<FiringAlertRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id, title, severity, channel_id, acked_by, first_seen FROM alerts
        WHERE state = 'firing' AND silence_id IS NULL ORDER BY severity, first_seen DESC LIMIT $1`,
      [LIMIT],
    );
    return rows.map((r) => ({
      id: String(r.id),
      title: r.title,
      severity: r.severity,
      channelId: r.channel_id,
      ackedBy: r.acked_by ?? undefined,
      firstSeen: r.first_seen,
    }));
  }

  async pendingApprovals(): Promise<PendingApprovalRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id, command_text, requested_by, approver_roles, expires_at FROM approvals
        WHERE status = 'pending' AND expires_at > now() ORDER BY created_at LIMIT $1`,
      [LIMIT],
    );
    return rows.map((r) => ({
      id: String(r.id),
      commandText: r.command_text,
      requestedBy: r.requested_by,
      approverRoles: r.approver_roles,
      expiresAt: r.expires_at,
    }));
  }

  async dueChecklists(): Promise<DueChecklistRow[]> {
    const { rows } = await this.pool.query(
      `SELECT id, title, channel_id, owner, due_at FROM checklist_runs
        WHERE completed_at IS NULL AND created_at > now() - interval '2 days' ORDER BY due_at LIMIT $1`,
      [LIMIT],
    );
    return rows.map((r) => ({
      id: String(r.id),
      title: r.title,
      channelId: r.channel_id,
      owner: r.owner ?? undefined,
      dueAt: r.due_at,
    }));
  }

  async shiftCounts(since: Date, until: Date): Promise<ShiftCounts> {
    const { rows } = await this.pool.query(
      `SELECT
         (SELECT count(*) FROM incidents WHERE declared_at >= $1 AND declared_at < $2) AS incidents,
         (SELECT count(*) FROM alerts WHERE first_seen >= $1 AND first_seen < $2) AS alerts,
         (SELECT count(*) FROM oncall_pages WHERE opened_at >= $1 AND opened_at < $2) AS pages,
         (SELECT count(*) FROM oncall_pages WHERE opened_at >= $1 AND opened_at < $2 AND acknowledged_at IS NOT NULL) AS acknowledged,
         (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - opened_at) * 1000)
            FROM oncall_pages WHERE opened_at >= $1 AND opened_at < $2 AND acknowledged_at IS NOT NULL) AS median_ack_ms`,
      [since, until],
    );
    const r = rows[0];
    return {
      incidents: Number(r.incidents),
      alerts: Number(r.alerts),
      pages: Number(r.pages),
      acknowledged: Number(r.acknowledged),
      medianAckMs: r.median_ack_ms == null ? undefined : Number(r.median_ack_ms),
    };
  }
}
