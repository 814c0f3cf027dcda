import { describe, expect, it } from 'vitest';
import { renderSnapshotList, type VerificationView } from '../../views/backups.js';
import { replyVerdict } from '../../views/reply.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { backupFreshness } from '../../src/config/backup-schedule.js';

const now = new Date('2026-11-23T09:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const snap = (h: number) => ({
  id: `rds:prod-${h}`,
  instance: 'expo-project-prod-db',
  status: 'available',
  type: 'automated',
  createdAt: hoursAgo(h),
  sizeGb: 20,
});
const verification = (ok: boolean): VerificationView => ({
  env: 'prod',
  method: 'snapshot',
  source: 'rds:prod-7',
  ok,
  summary: ok ? '5 tables match' : 'orders: 0 restored / 1200 live',
  checks: [],
  finishedAt: hoursAgo(1),
  durationMs: 60_000,
});
// Daily at 2 AM (ESN, ExpertConnect, Invoice, SoleMate) plus a 2 h margin.
const freshness = backupFreshness(undefined);

describe('backup list verdict (issue 14, case 9)', () => {
  it('is not good when the last verification failed, however fresh the snapshot', () => {
    const reply = renderSnapshotList({
      env: 'prod',
      instance: 'expo-project-prod-db',
      snapshots: [snap(7)],
      now,
      freshness,
      lastAttempt: verification(false),
    });
    expect(replyVerdict(reply)).toBe('bad');
    expect(reply.tone).not.toBe('ok');
  });

  it('is good with a fresh snapshot and a passing verification', () => {
    const reply = renderSnapshotList({
      env: 'prod',
      instance: 'expo-project-prod-db',
      snapshots: [snap(7)],
      now,
      freshness,
      lastVerified: verification(true),
      lastAttempt: verification(true),
    });
    expect(replyVerdict(reply)).toBe('good');
  });

  it('judges freshness against the schedule: one missed daily backup is red', () => {
    const reply = renderSnapshotList({
      env: 'prod',
      instance: 'expo-project-prod-db',
      snapshots: [snap(31)],
      now,
      freshness,
      lastVerified: verification(true),
      lastAttempt: verification(true),
    });
    expect(reply.tone).toBe('danger');
    expect(renderReplyAsText(reply)).toContain('older than one backup period (1 day) plus 2h');
  });
});
