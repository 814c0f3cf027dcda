// RDS (Query protocol) over the simulated fleet: snapshots take ~15 s with a
// rising PercentProgress, a restore creates a new instance over ~25 s.
import { AwsFault, num } from './protocol.js';
import type { Fleet, RdsInstanceState, RdsSnapshotState } from './fleet.js';
import type { Handler } from './beanstalk.js';

function instance(fleet: Fleet, id: unknown): RdsInstanceState {
  const db = fleet.rds.get(String(id));
  if (!db) throw new AwsFault('DBInstanceNotFound', `DBInstance ${String(id)} not found.`, 404);
  return db;
}

function snapshot(fleet: Fleet, id: unknown): RdsSnapshotState {
  const snap = fleet.snapshots.find(
    (s) =>
      s.id === String(id) || `arn:aws:rds:${fleet.names.region}:${fleet.names.account}:snapshot:${s.id}` === String(id),
  );
  if (!snap) throw new AwsFault('DBSnapshotNotFound', `DBSnapshot ${String(id)} not found.`, 404);
  return snap;
}

function describeInstance(fleet: Fleet, db: RdsInstanceState) {
  const n = fleet.names;
  return {
    DBInstanceIdentifier: db.id,
    DBInstanceClass: db.instanceClass,
    Engine: 'postgres',
    EngineVersion: db.engineVersion,
    DBInstanceStatus: db.status,
    MasterUsername: 'app',
    DBName: 'app',
    Endpoint:
      db.status === 'creating'
        ? undefined
        : { Address: `${db.id}.c9akciq32.${n.region}.rds.amazonaws.com`, Port: 5432, HostedZoneId: 'Z2R2ITUGPM61AM' },
    AllocatedStorage: db.allocatedGb,
    MaxAllocatedStorage: 200,
    InstanceCreateTime: db.status === 'creating' ? undefined : db.created,
    PreferredBackupWindow: '03:00-03:30',
    BackupRetentionPeriod: 7,
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0a1b2c3d', Status: 'active' }],
    DBParameterGroups: [{ DBParameterGroupName: 'default.postgres16', ParameterApplyStatus: 'in-sync' }],
    AvailabilityZone: `${n.region}a`,
    PreferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    PendingModifiedValues: {},
    LatestRestorableTime: new Date(fleet.now() - 300_000),
    MultiAZ: db.id === n.dbInstance,
    AutoMinorVersionUpgrade: true,
    ReadReplicaDBInstanceIdentifiers: [],
    PubliclyAccessible: false,
    StorageType: 'gp3',
    StorageEncrypted: true,
    DbiResourceId: `db-${db.id
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 20)}`,
    DBInstanceArn: `arn:aws:rds:${n.region}:${n.account}:db:${db.id}`,
    DeletionProtection: db.id === n.dbInstance,
    TagList: db.fromSnapshot ? [{ Key: 'restored-from', Value: db.fromSnapshot }] : [],
  };
}

function describeSnapshot(fleet: Fleet, s: RdsSnapshotState) {
  const n = fleet.names;
  return {
    DBSnapshotIdentifier: s.id,
    DBInstanceIdentifier: s.instance,
    SnapshotCreateTime: s.status === 'creating' ? undefined : s.created,
    OriginalSnapshotCreateTime: s.created,
    Engine: 'postgres',
    EngineVersion: '16.4',
    AllocatedStorage: s.allocatedGb,
    Status: s.status,
    Port: 5432,
    AvailabilityZone: `${n.region}a`,
    InstanceCreateTime: fleet.rds.get(s.instance)?.created,
    MasterUsername: 'app',
    SnapshotType: s.type,
    PercentProgress: s.percent,
    StorageType: 'gp3',
    Encrypted: true,
    DBSnapshotArn: `arn:aws:rds:${n.region}:${n.account}:snapshot:${s.id}`,
    DbiResourceId: `db-${s.instance
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 20)}`,
  };
}

const validId = (id: string) => /^[a-zA-Z][a-zA-Z0-9-]{0,254}$/.test(id) && !id.endsWith('-') && !id.includes('--');

export const rds: Record<string, Handler> = {
  DescribeDBInstances: (input, fleet) => {
    const dbs = input.DBInstanceIdentifier ? [instance(fleet, input.DBInstanceIdentifier)] : [...fleet.rds.values()];
    return { DBInstances: dbs.map((db) => describeInstance(fleet, db)) };
  },
  DescribeDBSnapshots: (input, fleet) => {
    if (input.DBSnapshotIdentifier)
      return { DBSnapshots: [describeSnapshot(fleet, snapshot(fleet, input.DBSnapshotIdentifier))] };
    const type = input.SnapshotType as string | undefined;
    const max = num(input.MaxRecords) ?? 100;
    const snaps = fleet.snapshots
      .filter((s) => !input.DBInstanceIdentifier || s.instance === input.DBInstanceIdentifier)
      .filter((s) => !type || s.type === type)
      .sort((a, b) => b.created.getTime() - a.created.getTime())
      .slice(0, max);
    return { DBSnapshots: snaps.map((s) => describeSnapshot(fleet, s)) };
  },
  CreateDBSnapshot: (input, fleet) => {
    const db = instance(fleet, input.DBInstanceIdentifier);
    const id = String(input.DBSnapshotIdentifier ?? '');
    if (!validId(id))
      throw new AwsFault(
        'InvalidParameterValue',
        `The parameter DBSnapshotIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
      );
    if (fleet.snapshots.some((s) => s.id === id))
      throw new AwsFault(
        'DBSnapshotAlreadyExists',
        `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`,
      );
    if (db.status !== 'available')
      throw new AwsFault(
        'InvalidDBInstanceState',
        `Cannot create a snapshot because the database instance ${db.id} is not currently in the available state.`,
      );
    const snap: RdsSnapshotState = {
      id,
      instance: db.id,
      type: 'manual',
      status: 'creating',
      percent: 0,
      created: new Date(fleet.now()),
      allocatedGb: db.allocatedGb,
    };
    fleet.snapshots.push(snap);
    db.status = 'backing-up';
    fleet.rdsEvent(id, 'Creating manual snapshot', ['creation'], 'snapshot');
    fleet.rdsEvent(db.id, 'Backing up DB instance', ['backup']);
    fleet.every(1500, () => {
      snap.percent = Math.min(100, snap.percent + 10);
      if (snap.percent < 100) return false;
      snap.status = 'available';
      if (db.status === 'backing-up') db.status = 'available';
      fleet.rdsEvent(id, 'Manual snapshot created', ['creation'], 'snapshot');
      fleet.rdsEvent(db.id, 'Finished DB Instance backup', ['backup']);
      return true;
    });
    return { DBSnapshot: describeSnapshot(fleet, snap) };
  },
  DeleteDBSnapshot: (input, fleet) => {
    const snap = snapshot(fleet, input.DBSnapshotIdentifier);
    if (snap.status !== 'available')
      throw new AwsFault(
        'InvalidDBSnapshotState',
        `Cannot delete the snapshot because it is in the ${snap.status} state.`,
      );
    if (snap.type === 'automated')
      throw new AwsFault('InvalidDBSnapshotState', 'Only manual snapshots may be deleted.');
    snap.status = 'deleting';
    fleet.after(3000, () => {
      fleet.snapshots = fleet.snapshots.filter((s) => s !== snap);
    });
    return { DBSnapshot: describeSnapshot(fleet, snap) };
  },
  RestoreDBInstanceFromDBSnapshot: (input, fleet) => {
    const snap = snapshot(fleet, input.DBSnapshotIdentifier);
    const id = String(input.DBInstanceIdentifier ?? '');
    if (!validId(id) || id.length > 63)
      throw new AwsFault('InvalidParameterValue', 'The parameter DBInstanceIdentifier is not a valid identifier.');
    if (fleet.rds.has(id)) throw new AwsFault('DBInstanceAlreadyExists', 'DB instance already exists');
    if (snap.status !== 'available')
      throw new AwsFault('InvalidDBSnapshotState', `Snapshot ${snap.id} is not available (status: ${snap.status}).`);
    const source = fleet.rds.get(snap.instance);
    const db: RdsInstanceState = {
      id,
      status: 'creating',
      instanceClass: String(input.DBInstanceClass ?? source?.instanceClass ?? 'db.t3.medium'),
      engineVersion: '16.4',
      allocatedGb: snap.allocatedGb,
      created: new Date(fleet.now()),
      fromSnapshot: snap.id,
    };
    fleet.rds.set(id, db);
    fleet.rdsEvent(id, 'DB instance created', ['creation']);
    fleet.after(14_000, () => {
      db.status = 'modifying';
      fleet.rdsEvent(id, 'Restored from snapshot ' + snap.id, ['restoration']);
    });
    fleet.after(20_000, () => {
      db.status = 'backing-up';
      fleet.rdsEvent(id, 'Backing up DB instance', ['backup']);
    });
    fleet.after(26_000, () => {
      db.status = 'available';
      fleet.rdsEvent(id, 'Finished DB Instance backup', ['backup']);
    });
    return { DBInstance: describeInstance(fleet, db) };
  },
  DeleteDBInstance: (input, fleet) => {
    const db = instance(fleet, input.DBInstanceIdentifier);
    if (db.id === fleet.names.dbInstance)
      throw new AwsFault(
        'InvalidParameterCombination',
        'Cannot delete protected DB Instance, please disable deletion protection and try again.',
      );
    db.status = 'deleting';
    fleet.after(10_000, () => fleet.rds.delete(db.id));
    return { DBInstance: describeInstance(fleet, db) };
  },
  RebootDBInstance: (input, fleet) => {
    const db = instance(fleet, input.DBInstanceIdentifier);
    if (db.status !== 'available')
      throw new AwsFault('InvalidDBInstanceState', `DB instance ${db.id} is not in the available state.`);
    db.status = 'rebooting';
    fleet.rdsEvent(db.id, 'DB instance restarted', ['availability']);
    fleet.after(8000, () => {
      db.status = 'available';
    });
    return { DBInstance: describeInstance(fleet, db) };
  },
  DescribeEvents: (input, fleet) => {
    const start = input.StartTime
      ? new Date(String(input.StartTime)).getTime()
      : fleet.now() - 3_600_000 * Number(input.Duration ? Number(input.Duration) / 60 : 1);
    const events = fleet.rdsEvents
      .filter((e) => e.date.getTime() >= start && (!input.SourceIdentifier || e.source === input.SourceIdentifier))
      .slice(0, num(input.MaxRecords) ?? 100)
      .map((e) => ({
        SourceIdentifier: e.source,
        SourceType: e.sourceType,
        Message: e.message,
        EventCategories: e.categories,
        Date: e.date,
        SourceArn: `arn:aws:rds:${fleet.names.region}:${fleet.names.account}:${e.sourceType === 'snapshot' ? 'snapshot' : 'db'}:${e.source}`,
      }));
    return { Events: events };
  },
  ListTagsForResource: () => ({ TagList: [] }),
};
