// Disaster recovery on top of the simulated RDS (rds.ts): point-in-time restores
// into a new instance, snapshot copies into a SECOND region (the region is the
// one the request was signed for, as with AWS), the automated-backup window,
// and, for the playground's DR test, restored copies that answer at a real
// Postgres so the row counts can be compared.
import { AwsFault, type Input } from './protocol.js';
import type { Fleet, RdsInstanceState } from './fleet.js';
import type { Handler } from './beanstalk.js';

/** The key server.ts adds to every Query request: the region of its SigV4 credential scope. */
export const REGION_KEY = '__region';

/** "Credential=AKIA…/20261123/us-west-2/rds/aws4_request" → "us-west-2". */
export function signedRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(authorization ?? '')?.[1];
}

interface RegionCopy {
  id: string;
  instance: string;
  sourceArn: string;
  region: string;
  status: 'pending' | 'creating' | 'available';
  percent: number;
  created: Date;
  allocatedGb: number;
  kmsKeyId: string;
}

interface DrState {
  copies: RegionCopy[];
  /** Instances restored to a point in time (id → source instance). */
  pitr: Map<string, string>;
  /** Where restored copies answer (the playground's application database). */
  endpoint?: { address: string; port: number };
}

const states = new WeakMap<Fleet, DrState>();
function state(fleet: Fleet): DrState {
  let s = states.get(fleet);
  if (!s) states.set(fleet, (s = { copies: [], pitr: new Map() }));
  return s;
}

/** Restored (non-live) instances answer at this host and port, so a DR test can log in and count rows. */
export function answerRestoredCopiesAt(fleet: Fleet, endpoint: { address: string; port: number }): void {
  state(fleet).endpoint = endpoint;
}

const regionOf = (fleet: Fleet, input: Input) => String(input[REGION_KEY] ?? fleet.names.region);
const DAY = 86_400_000;

/** RDS uploads transaction logs every 5 minutes: the latest restorable time is the last upload. */
function latestRestorable(fleet: Fleet): Date {
  const now = fleet.now();
  return new Date(now - (now % 300_000));
}

function earliestRestorable(fleet: Fleet, db: RdsInstanceState): Date {
  return new Date(Math.max(db.created.getTime(), fleet.now() - 7 * DAY));
}

function describeCopy(fleet: Fleet, c: RegionCopy) {
  return {
    DBSnapshotIdentifier: c.id,
    DBInstanceIdentifier: c.instance,
    SnapshotCreateTime: c.status === 'available' ? c.created : undefined,
    Engine: 'postgres',
    EngineVersion: '16.4',
    AllocatedStorage: c.allocatedGb,
    Status: c.status,
    Port: 5432,
    AvailabilityZone: `${c.region}a`,
    MasterUsername: 'app',
    SnapshotType: 'manual',
    PercentProgress: c.percent,
    StorageType: 'gp3',
    Encrypted: true,
    KmsKeyId: c.kmsKeyId,
    SourceRegion: fleet.names.region,
    SourceDBSnapshotIdentifier: c.sourceArn,
    DBSnapshotArn: `arn:aws:rds:${c.region}:${fleet.names.account}:snapshot:${c.id}`,
  };
}

function newInstance(fleet: Fleet, id: string, like: RdsInstanceState, instanceClass: unknown): RdsInstanceState {
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(id) || id.endsWith('-') || id.includes('--'))
    throw new AwsFault('InvalidParameterValue', 'The parameter TargetDBInstanceIdentifier is not a valid identifier.');
  if (fleet.rds.has(id)) throw new AwsFault('DBInstanceAlreadyExists', 'DB instance already exists');
  const db: RdsInstanceState = {
    id,
    status: 'creating',
    instanceClass: String(instanceClass ?? like.instanceClass),
    engineVersion: like.engineVersion,
    allocatedGb: like.allocatedGb,
    created: new Date(fleet.now()),
  };
  fleet.rds.set(id, db);
  fleet.rdsEvent(id, 'DB instance created', ['creation']);
  fleet.after(12_000, () => (db.status = 'modifying'));
  fleet.after(22_000, () => {
    db.status = 'available';
    fleet.rdsEvent(id, 'Restored from DB instance ' + like.id + ' to a point in time', ['restoration']);
  });
  return db;
}

/** The simulated RDS with the DR operations added; the base handlers keep serving everything else. */
export function withDisasterRecovery(base: Record<string, Handler>): Record<string, Handler> {
  return {
    ...base,
    DescribeDBInstances: (input, fleet) => {
      if (regionOf(fleet, input) !== fleet.names.region)
        throw new AwsFault(
          'DBInstanceNotFound',
          `DBInstance ${String(input.DBInstanceIdentifier ?? '')} not found.`,
          404,
        );
      const out = base.DescribeDBInstances(input, fleet) as { DBInstances: Record<string, unknown>[] };
      const { endpoint } = state(fleet);
      for (const db of out.DBInstances) {
        db.LatestRestorableTime = latestRestorable(fleet);
        if (endpoint && db.DBInstanceIdentifier !== fleet.names.dbInstance && db.Endpoint)
          db.Endpoint = { Address: endpoint.address, Port: endpoint.port, HostedZoneId: 'Z2R2ITUGPM61AM' };
      }
      return out;
    },
    DescribeDBSnapshots: (input, fleet) => {
      const region = regionOf(fleet, input);
      if (region === fleet.names.region) return base.DescribeDBSnapshots(input, fleet);
      const copies = state(fleet).copies.filter((c) => c.region === region);
      if (input.DBSnapshotIdentifier) {
        const id = String(input.DBSnapshotIdentifier);
        const found = copies.find((c) => c.id === id || describeCopy(fleet, c).DBSnapshotArn === id);
        if (!found) throw new AwsFault('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404);
        return { DBSnapshots: [describeCopy(fleet, found)] };
      }
      return {
        DBSnapshots: copies
          .filter((c) => !input.DBInstanceIdentifier || c.instance === input.DBInstanceIdentifier)
          .sort((a, b) => b.created.getTime() - a.created.getTime())
          .map((c) => describeCopy(fleet, c)),
      };
    },
    DescribeDBInstanceAutomatedBackups: (input, fleet) => {
      const db = fleet.rds.get(String(input.DBInstanceIdentifier ?? fleet.names.dbInstance));
      if (!db) return { DBInstanceAutomatedBackups: [] };
      return {
        DBInstanceAutomatedBackups: [
          {
            DBInstanceIdentifier: db.id,
            Region: fleet.names.region,
            Status: 'active',
            BackupRetentionPeriod: 7,
            RestoreWindow: { EarliestTime: earliestRestorable(fleet, db), LatestTime: latestRestorable(fleet) },
          },
        ],
      };
    },
    RestoreDBInstanceToPointInTime: (input, fleet) => {
      const source = fleet.rds.get(String(input.SourceDBInstanceIdentifier ?? ''));
      if (!source)
        throw new AwsFault(
          'DBInstanceNotFound',
          `DBInstance ${String(input.SourceDBInstanceIdentifier)} not found.`,
          404,
        );
      const latest = latestRestorable(fleet);
      const earliest = earliestRestorable(fleet, source);
      const useLatest = String(input.UseLatestRestorableTime) === 'true';
      if (useLatest && input.RestoreTime)
        throw new AwsFault(
          'InvalidParameterCombination',
          'Cannot specify both RestoreTime and UseLatestRestorableTime.',
        );
      const at = useLatest ? latest : new Date(String(input.RestoreTime ?? ''));
      if (Number.isNaN(at.getTime()) || at > latest || at < earliest)
        throw new AwsFault(
          'InvalidRestoreFault',
          `The restore time must be between ${earliest.toISOString()} and ${latest.toISOString()}.`,
        );
      const id = String(input.TargetDBInstanceIdentifier ?? '');
      newInstance(fleet, id, source, input.DBInstanceClass);
      state(fleet).pitr.set(id, source.id);
      return {
        DBInstance: (base.DescribeDBInstances({ DBInstanceIdentifier: id }, fleet) as { DBInstances: unknown[] })
          .DBInstances[0],
      };
    },
    CopyDBSnapshot: (input, fleet) => {
      const region = regionOf(fleet, input);
      const sourceId = String(input.SourceDBSnapshotIdentifier ?? '');
      const home = fleet.names.region;
      if (region === home)
        throw new AwsFault(
          'InvalidParameterValue',
          'The sandbox simulates only cross-region copies (send it in another region).',
        );
      if (!sourceId.startsWith(`arn:aws:rds:${home}:`))
        throw new AwsFault(
          'InvalidParameterValue',
          'For a cross-region copy, SourceDBSnapshotIdentifier must be the source snapshot ARN.',
        );
      const src = base.DescribeDBSnapshots({ DBSnapshotIdentifier: sourceId }, fleet) as {
        DBSnapshots: {
          DBSnapshotIdentifier: string;
          DBInstanceIdentifier: string;
          Status: string;
          AllocatedStorage: number;
        }[];
      };
      const snap = src.DBSnapshots[0];
      if (snap.Status !== 'available')
        throw new AwsFault(
          'InvalidDBSnapshotState',
          `Snapshot ${snap.DBSnapshotIdentifier} is not available (status: ${snap.Status}).`,
        );
      const kmsKeyId = String(input.KmsKeyId ?? '');
      if (!kmsKeyId)
        throw new AwsFault(
          'InvalidParameterCombination',
          'KmsKeyId must be specified to copy an encrypted snapshot to another region.',
        );
      if (/^arn:aws:kms:/.test(kmsKeyId) && kmsKeyId.split(':')[3] !== region)
        throw new AwsFault('KMSKeyNotAccessibleFault', `The KMS key ${kmsKeyId} is not in ${region}.`);
      const id = String(input.TargetDBSnapshotIdentifier ?? '');
      const dr = state(fleet);
      if (dr.copies.some((c) => c.region === region && c.id === id))
        throw new AwsFault('DBSnapshotAlreadyExists', `Cannot copy the snapshot because ${id} already exists.`);
      const copy: RegionCopy = {
        id,
        instance: snap.DBInstanceIdentifier,
        sourceArn: sourceId,
        region,
        status: 'pending',
        percent: 0,
        created: new Date(fleet.now()),
        allocatedGb: snap.AllocatedStorage,
        kmsKeyId,
      };
      dr.copies.push(copy);
      fleet.every(1500, () => {
        copy.status = 'creating';
        copy.percent = Math.min(100, copy.percent + 10);
        if (copy.percent < 100) return false;
        copy.status = 'available';
        return true;
      });
      return { DBSnapshot: describeCopy(fleet, copy) };
    },
  };
}
