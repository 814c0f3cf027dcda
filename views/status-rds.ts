import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, failedPartLine, type Finding, type Part } from './aws-common.js';

export interface RdsStatusView {
  instance: string;
  db: Part<{
    status: string;
    instanceClass: string;
    engine: string;
    engineVersion?: string;
    allocatedGb: number;
    multiAz: boolean;
    pendingModifications: string[];
  }>;
  freeGb: Part<number | undefined>;
  freeStorageGb: number;
}

const RDS_BAD = new Set([
  'storage-full',
  'failed',
  'stopped',
  'inaccessible-encryption-credentials',
  'restore-error',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'deleting',
]);

export function judgeRds(rds: RdsStatusView): Finding {
  if (!rds.db.ok) return { tone: 'warning', reason: 'RDS could not be checked' };
  const { status } = rds.db.value;
  const free = rds.freeGb.ok ? rds.freeGb.value : undefined;
  if (status !== 'available')
    return {
      tone: RDS_BAD.has(status) || status.startsWith('incompatible') ? 'danger' : 'warning',
      reason: `RDS ${rds.instance} is ${status}`,
    };
  if (free !== undefined && free < rds.freeStorageGb * 0.4)
    return { tone: 'danger', reason: `RDS ${rds.instance}: only ${free.toFixed(1)} GB free` };
  if (free !== undefined && free < rds.freeStorageGb)
    return {
      tone: 'warning',
      reason: `RDS ${rds.instance}: ${free.toFixed(1)} GB free (threshold ${rds.freeStorageGb} GB)`,
    };
  return { tone: 'ok' };
}

export function rdsBlocks(rds: RdsStatusView): KnownBlock[] {
  if (!rds.db.ok) return [section(failedPartLine(`RDS ${rds.instance}`, rds.db.error))];
  const db = rds.db.value;
  const finding = judgeRds(rds);
  const free = rds.freeGb.ok
    ? rds.freeGb.value === undefined
      ? 'free storage: no recent datapoint'
      : `${rds.freeGb.value.toFixed(1)} GB free`
    : `free storage unknown (${escapeMrkdwn(rds.freeGb.error)})`;
  const lines = [
    `${TONE_ICON[finding.tone]} *RDS* \`${escapeMrkdwn(rds.instance)}\` — ${db.status} · ${db.instanceClass} · ${db.engine} ${db.engineVersion ?? ''}${db.multiAz ? ' · Multi-AZ' : ''}`,
    `Storage: ${db.allocatedGb} GB allocated, ${free}`,
  ];
  if (db.pendingModifications.length) lines.push(`Pending: ${escapeMrkdwn(db.pendingModifications.join(', '))}`);
  return [section(lines.join('\n'))];
}
