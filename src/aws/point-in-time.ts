import { UserError } from '../errors.js';
import { AwsError, type AwsSession } from './session.js';
import type { InstanceInfo } from './snapshots.js';
import { rds } from './sdk.js';

/** The span RDS can restore an instance to: from its oldest retained backup to a few minutes ago. */
export interface RestorableWindow {
  instance: string;
  earliest?: Date;
  latest?: Date;
  /** Days of automated backups; 0 means point-in-time restore is off. */
  retentionDays: number;
}

/** "2026-11-23 09:12 UTC": how restore times read in messages. */
export function utcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * LatestRestorableTime and BackupRetentionPeriod come from DescribeDBInstances;
 * the earliest time from the instance's automated backups (RestoreWindow), and
 * without them from the retention period counted back from the latest time.
 */
export async function restorableWindow(s: AwsSession, instance: string): Promise<RestorableWindow> {
  let db;
  try {
    const out = await s.call('rds:DescribeDBInstances', (abortSignal) =>
      s.clients.rds.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: instance }), { abortSignal }),
    );
    db = out.DBInstances?.[0];
  } catch (err) {
    if (!(err instanceof AwsError && err.kind === 'not-found')) throw err;
  }
  if (!db) throw new UserError(`RDS has no instance \`${instance}\`.`, 'Check rds.instance in ops.yml.');
  const retentionDays = db.BackupRetentionPeriod ?? 0;
  const latest = db.LatestRestorableTime;
  let earliest: Date | undefined;
  try {
    const backups = await s.call('rds:DescribeDBInstanceAutomatedBackups', (abortSignal) =>
      s.clients.rds.send(new rds.DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: instance }), {
        abortSignal,
      }),
    );
    earliest = backups.DBInstanceAutomatedBackups?.find((b) => b.Status !== 'retained')?.RestoreWindow?.EarliestTime;
  } catch (err) {
    if (!(err instanceof AwsError && (err.kind === 'not-found' || err.kind === 'denied'))) throw err;
  }
  if (!earliest && latest && retentionDays > 0) earliest = new Date(latest.getTime() - retentionDays * 86_400_000);
  return { instance, earliest, latest, retentionDays };
}

/** Refuses a time outside the window, saying which range is allowed. */
export function checkRestoreTime(window: RestorableWindow, at: Date): void {
  if (window.retentionDays === 0 || !window.latest)
    throw new UserError(
      `Point-in-time restore is not enabled on \`${window.instance}\` (automated backups are off: backup retention 0 days).`,
      'Turn on automated backups (a retention of 1–35 days) in the RDS console, or restore a snapshot with `/ops restore <env> <snapshot>`.',
    );
  const range = `${window.earliest ? utcMinute(window.earliest) : 'the start of retention'} to ${utcMinute(window.latest)}`;
  if (at.getTime() > window.latest.getTime())
    throw new UserError(
      `${utcMinute(at)} is after the latest restorable time of \`${window.instance}\` (${utcMinute(window.latest)}).`,
      `Pick a time from ${range}.`,
    );
  if (window.earliest && at.getTime() < window.earliest.getTime())
    throw new UserError(
      `${utcMinute(at)} is before the earliest restorable time of \`${window.instance}\` (${utcMinute(window.earliest)}, ${window.retentionDays} days of backups are kept).`,
      `Pick a time from ${range}.`,
    );
}

/** "<instance>-pitr-202611230912" for the restore time, shortened from the instance name to fit 63 characters. */
export function pointInTimeInstanceName(instance: string, at: Date): string {
  const suffix = `-pitr-${at.toISOString().replace(/\D/g, '').slice(0, 12)}`;
  return instance.slice(0, 63 - suffix.length).replace(/-+$/, '') + suffix;
}

/** RDS's refusals of a point-in-time restore, as what to do instead. */
function restoreRefusal(err: unknown, live: string): never {
  const e = err as { name?: string; message?: string };
  const detail = (e.message ?? '').split('\n')[0];
  if (e.name === 'PointInTimeRestoreNotEnabledFault' || e.name === 'PointInTimeRestoreNotEnabled')
    throw new UserError(
      `RDS says point-in-time restore is not enabled for \`${live}\` (${detail}).`,
      'Turn on automated backups (retention 1–35 days), or restore a snapshot with `/ops restore <env> <snapshot>`.',
    );
  if (e.name === 'InvalidRestoreFault')
    throw new UserError(
      `RDS refused the point-in-time restore of \`${live}\`: ${detail || 'InvalidRestoreFault'}.`,
      'Check the time against `/ops restore <env> --to-time` (it says the allowed range), then ask again.',
    );
  if (e.name === 'DBInstanceAlreadyExistsFault')
    throw new UserError(
      `RDS already has an instance with the new name, so nothing was restored (${detail}).`,
      'Delete it in the RDS console if it is a leftover, or pick another time.',
    );
  throw err;
}

/** Always a new instance, in the live one's network with its class; the live instance is never restored over. */
export async function restoreToPointInTime(
  s: AwsSession,
  like: InstanceInfo,
  newId: string,
  at: Date | 'latest',
): Promise<void> {
  if (newId === like.id) throw new Error(`refusing to restore over the live instance ${like.id}`);
  await s.call('rds:RestoreDBInstanceToPointInTime', async (abortSignal) => {
    try {
      return await s.clients.rds.send(
        new rds.RestoreDBInstanceToPointInTimeCommand({
          SourceDBInstanceIdentifier: like.id,
          TargetDBInstanceIdentifier: newId,
          ...(at === 'latest' ? { UseLatestRestorableTime: true } : { RestoreTime: at }),
          DBInstanceClass: like.instanceClass,
          DBSubnetGroupName: like.subnetGroup,
          VpcSecurityGroupIds: like.securityGroups.length ? like.securityGroups : undefined,
          PubliclyAccessible: like.publiclyAccessible,
          MultiAZ: false,
          Tags: [
            { Key: 'created-by', Value: 'opsbot' },
            { Key: 'restored-from', Value: like.id },
          ],
        }),
        { abortSignal },
      );
    } catch (err) {
      return restoreRefusal(err, like.id);
    }
  });
}
