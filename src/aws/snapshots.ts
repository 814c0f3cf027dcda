import type { DBInstance, DBSnapshot } from '@aws-sdk/client-rds';
import { UserError } from '../errors.js';
import { follow, nameStamp, pollSession, type FollowOptions } from './action-follow.js';
import type { AwsClients } from './clients.js';
import { AwsError, type AwsSession } from './session.js';
import { rds } from './sdk.js';

export interface Snapshot {
  id: string;
  instance: string;
  /** creating, available, failed… */
  status: string;
  /** manual, automated, awsbackup… */
  type: string;
  createdAt?: Date;
  sizeGb: number;
  percent?: number;
  engineVersion?: string;
  /** For a cross-region copy (SourceDBSnapshotIdentifier must be the ARN). */
  arn?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  /** A copy's source snapshot ARN (SourceDBSnapshotIdentifier), so `backup list --region` can say where it came from. */
  sourceArn?: string;
}

function toSnapshot(s: DBSnapshot): Snapshot {
  return {
    id: s.DBSnapshotIdentifier ?? '?',
    instance: s.DBInstanceIdentifier ?? '?',
    status: s.Status ?? 'unknown',
    type: s.SnapshotType ?? '?',
    createdAt: s.SnapshotCreateTime,
    sizeGb: s.AllocatedStorage ?? 0,
    percent: s.PercentProgress,
    engineVersion: s.EngineVersion,
    arn: s.DBSnapshotArn,
    encrypted: s.Encrypted,
    kmsKeyId: s.KmsKeyId,
    sourceArn: s.SourceDBSnapshotIdentifier,
  };
}

/** Snapshot and instance identifiers: letters, digits and single hyphens, starting with a letter. */
function identifier(text: string, max: number): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, max)
    .replace(/-+$/, '');
  return /^[a-z]/.test(cleaned) ? cleaned : `db-${cleaned}`.slice(0, max);
}

export function backupSnapshotName(envName: string, at: Date): string {
  return identifier(`opsbot-${envName}-${nameStamp(at)}`, 255);
}

/** "<instance>-restored-20261123-0912", shortened from the instance name to fit RDS's 63 characters. */
export function newInstanceName(instance: string, label: 'restored' | 'verify' | 'drtest', at: Date): string {
  const suffix = `-${label}-${nameStamp(at)}`;
  return identifier(instance.slice(0, 63 - suffix.length).replace(/-+$/, '') + suffix, 63);
}

/** Manual and automated snapshots of one instance, newest first. */
export async function listSnapshots(s: AwsSession, instance: string): Promise<Snapshot[]> {
  const out = await s.call('rds:DescribeDBSnapshots', (abortSignal) =>
    s.clients.rds.send(new rds.DescribeDBSnapshotsCommand({ DBInstanceIdentifier: instance, MaxRecords: 100 }), {
      abortSignal,
    }),
  );
  return (out.DBSnapshots ?? [])
    .map(toSnapshot)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

export async function getSnapshot(s: AwsSession, id: string): Promise<Snapshot | undefined> {
  try {
    const out = await s.call('rds:DescribeDBSnapshots', (abortSignal) =>
      s.clients.rds.send(new rds.DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }), { abortSignal }),
    );
    const found = out.DBSnapshots?.[0];
    return found ? toSnapshot(found) : undefined;
  } catch (err) {
    if (err instanceof AwsError && err.kind === 'not-found') return undefined;
    throw err;
  }
}

export async function createSnapshot(s: AwsSession, instance: string, id: string): Promise<Snapshot> {
  const out = await s.call('rds:CreateDBSnapshot', (abortSignal) =>
    s.clients.rds.send(
      new rds.CreateDBSnapshotCommand({
        DBInstanceIdentifier: instance,
        DBSnapshotIdentifier: id,
        Tags: [{ Key: 'created-by', Value: 'opsbot' }],
      }),
      { abortSignal },
    ),
  );
  return toSnapshot(out.DBSnapshot ?? { DBSnapshotIdentifier: id, DBInstanceIdentifier: instance, Status: 'creating' });
}

/** Follows a snapshot until it is available, with RDS's own PercentProgress on the bar. */
export async function followSnapshot(
  clients: AwsClients,
  settings: Omit<FollowOptions, 'waitingFor' | 'afterTimeout'>,
  id: string,
): Promise<Snapshot> {
  return follow(
    {
      ...settings,
      waitingFor: `snapshot \`${id}\` to become available`,
      afterTimeout: 'See where it stands with `/ops backup list`.',
    },
    async () => {
      const snap = await getSnapshot(pollSession(clients), id);
      if (!snap)
        throw new UserError(
          `Snapshot \`${id}\` disappeared while it was being created (deleted by someone, or failed).`,
          'See the others with `/ops backup list`.',
        );
      if (snap.status === 'available') return { done: true, value: snap };
      if (snap.status === 'failed' || snap.status === 'error')
        throw new UserError(
          `RDS reports snapshot \`${id}\` as ${snap.status}.`,
          'Check the RDS console events for the instance, then try `/ops backup` again.',
        );
      return {
        done: false,
        percent: snap.percent,
        note: `${snap.status}${snap.percent !== undefined ? `, ${snap.percent}%` : ''}`,
      };
    },
  );
}

/** What a restore copies from the live instance so the copy lands in the same network with the same shape. */
export interface InstanceInfo {
  id: string;
  status: string;
  instanceClass?: string;
  subnetGroup?: string;
  securityGroups: string[];
  publiclyAccessible?: boolean;
  endpoint?: { address: string; port: number };
}

function toInstanceInfo(db: DBInstance, id: string): InstanceInfo {
  return {
    id: db.DBInstanceIdentifier ?? id,
    status: db.DBInstanceStatus ?? 'unknown',
    instanceClass: db.DBInstanceClass,
    subnetGroup: db.DBSubnetGroup?.DBSubnetGroupName,
    securityGroups: (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
    publiclyAccessible: db.PubliclyAccessible,
    endpoint: db.Endpoint?.Address ? { address: db.Endpoint.Address, port: db.Endpoint.Port ?? 5432 } : undefined,
  };
}

export async function getInstance(s: AwsSession, id: string): Promise<InstanceInfo | undefined> {
  try {
    const out = await s.call('rds:DescribeDBInstances', (abortSignal) =>
      s.clients.rds.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }), { abortSignal }),
    );
    const db = out.DBInstances?.[0];
    return db ? toInstanceInfo(db, id) : undefined;
  } catch (err) {
    if (err instanceof AwsError && err.kind === 'not-found') return undefined;
    throw err;
  }
}

/** Always a new instance: the live one is never restored over. */
export async function restoreToNewInstance(
  s: AwsSession,
  snapshotId: string,
  newId: string,
  like: InstanceInfo,
): Promise<void> {
  await s.call('rds:RestoreDBInstanceFromDBSnapshot', (abortSignal) =>
    s.clients.rds.send(
      new rds.RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: newId,
        DBSnapshotIdentifier: snapshotId,
        DBInstanceClass: like.instanceClass,
        DBSubnetGroupName: like.subnetGroup,
        VpcSecurityGroupIds: like.securityGroups.length ? like.securityGroups : undefined,
        PubliclyAccessible: like.publiclyAccessible,
        MultiAZ: false,
        Tags: [
          { Key: 'created-by', Value: 'opsbot' },
          { Key: 'restored-from', Value: snapshotId },
        ],
      }),
      { abortSignal },
    ),
  );
}

/** Follows a new instance until it is available; RDS gives no percentage, so the bar creeps with time. */
export async function followInstance(
  clients: AwsClients,
  settings: Omit<FollowOptions, 'waitingFor' | 'afterTimeout'>,
  id: string,
): Promise<InstanceInfo> {
  return follow(
    {
      ...settings,
      waitingFor: `instance \`${id}\` to become available`,
      afterTimeout: `Check it in the RDS console (\`${id}\`); delete it there if it is not wanted.`,
    },
    async () => {
      const db = await getInstance(pollSession(clients), id);
      if (db?.status === 'available' && db.endpoint) return { done: true, value: db };
      if (
        db &&
        ['failed', 'incompatible-restore', 'incompatible-parameters', 'incompatible-network', 'storage-full'].includes(
          db.status,
        )
      ) {
        throw new UserError(
          `RDS reports the new instance \`${id}\` as ${db.status}.`,
          `Look at its events in the RDS console, then delete \`${id}\`.`,
        );
      }
      return { done: false, note: db ? db.status : 'not visible yet' };
    },
  );
}

/** Only for instances opsbot created itself (backup verification); no final snapshot, it is a throwaway copy. */
export async function deleteScratchInstance(s: AwsSession, id: string): Promise<void> {
  if (!/-(verify|drtest)-\d{8}-\d{4}$/.test(id))
    throw new Error(`refusing to delete ${id}: not an opsbot verification instance`);
  await s.call('rds:DeleteDBInstance', (abortSignal) =>
    s.clients.rds.send(
      new rds.DeleteDBInstanceCommand({
        DBInstanceIdentifier: id,
        SkipFinalSnapshot: true,
        DeleteAutomatedBackups: true,
      }),
      { abortSignal },
    ),
  );
}
