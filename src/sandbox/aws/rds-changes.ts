// RDS changes over the simulated fleet: ModifyDBInstance (class: now, with a reboot, or queued for the
// maintenance window; storage: modifying → storage-optimization → available), DescribeDBParameters (paged)
// and ModifyDBParameterGroup (a default group is refused; static parameters wait for a reboot).
// Kept apart from rds.ts: withRdsChanges() adds these handlers and overlays their state on DescribeDBInstances.
import { AwsFault, num, type Input } from './protocol.js';
import type { Fleet, RdsInstanceState } from './fleet.js';
import type { Handler } from './beanstalk.js';
import { catalogue, validParameterValue, type Param } from './rds-parameters.js';

interface Changes {
  maxAllocatedGb?: number;
  parameterGroup: string;
  applyStatus: 'in-sync' | 'applying' | 'pending-reboot';
  pending: { DBInstanceClass?: string; AllocatedStorage?: number };
  /** Until when a new storage change is refused (RDS: 6 hours after the last one; here scaled down). */
  storageLockedUntil?: number;
}

interface State {
  changes: WeakMap<RdsInstanceState, Changes>;
  groups: Map<string, Param[]>;
}
const states = new WeakMap<Fleet, State>();

function state(fleet: Fleet): State {
  let s = states.get(fleet);
  if (!s) {
    s = { changes: new WeakMap(), groups: new Map([['default.postgres16', catalogue()]]) };
    // The demo's instance has a custom group, so `/ops db param` can change it; restored copies get the default.
    s.groups.set(customGroup(fleet), catalogue());
    states.set(fleet, s);
  }
  return s;
}

const customGroup = (fleet: Fleet) => `${fleet.names.dbInstance}-pg16`;

function changesOf(fleet: Fleet, db: RdsInstanceState): Changes {
  const s = state(fleet);
  let c = s.changes.get(db);
  if (!c) {
    const own = db.id === fleet.names.dbInstance;
    c = {
      maxAllocatedGb: own ? 200 : undefined,
      parameterGroup: own ? customGroup(fleet) : 'default.postgres16',
      applyStatus: 'in-sync',
      pending: {},
    };
    s.changes.set(db, c);
  }
  return c;
}

function instance(fleet: Fleet, id: unknown): RdsInstanceState {
  const db = fleet.rds.get(String(id));
  if (!db) throw new AwsFault('DBInstanceNotFound', `DBInstance ${String(id)} not found.`, 404);
  return db;
}

/** What this file's state changes in a DescribeDBInstances entry. */
function overlay(fleet: Fleet, db: RdsInstanceState, described: Input): Input {
  const c = changesOf(fleet, db);
  return {
    ...described,
    MaxAllocatedStorage: c.maxAllocatedGb,
    DBParameterGroups: [{ DBParameterGroupName: c.parameterGroup, ParameterApplyStatus: c.applyStatus }],
    PendingModifiedValues: { ...c.pending },
  };
}

const CLASS = /^db\.(t3|t4g|m5|m5d|m6g|m6gd|m6i|m7g|r5|r6g|r6gd|r6i|r7g)\.(micro|small|medium|large|\d{0,2}xlarge)$/;
const truthy = (v: unknown) => String(v).toLowerCase() === 'true';

function modifyInstance(input: Input, fleet: Fleet): RdsInstanceState {
  const db = instance(fleet, input.DBInstanceIdentifier);
  const c = changesOf(fleet, db);
  const now = truthy(input.ApplyImmediately);
  const cls = input.DBInstanceClass as string | undefined;
  const gb = num(input.AllocatedStorage);
  const max = num(input.MaxAllocatedStorage);
  if (db.status !== 'available' && !(db.status === 'storage-optimization' && gb === undefined))
    throw new AwsFault('InvalidDBInstanceState', `Database instance is not in available state.`);
  if (cls !== undefined && !CLASS.test(cls))
    throw new AwsFault(
      'InvalidParameterCombination',
      `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${cls}, Engine=postgres, EngineVersion=${db.engineVersion}, LicenseModel=postgresql-license. For supported combinations of instance class and database engine version, see the documentation.`,
    );
  if (gb !== undefined && gb !== db.allocatedGb) {
    if (gb < db.allocatedGb)
      throw new AwsFault(
        'InvalidParameterValue',
        `Invalid storage size for engine name postgres and storage type gp3: ${gb}`,
      );
    if (gb < db.allocatedGb * 1.1)
      throw new AwsFault('InvalidParameterCombination', 'The allocated storage must be increased by at least 10%.');
    if (gb > 65_536)
      throw new AwsFault('StorageQuotaExceeded', 'The request exceeds the storage quota for the account.');
    if (c.storageLockedUntil && fleet.now() < c.storageLockedUntil)
      throw new AwsFault(
        'InvalidParameterCombination',
        "You can't currently modify the storage of this DB instance because the previous storage change is being optimized.",
      );
  }
  if (max !== undefined && max < (gb ?? db.allocatedGb) * 1.1)
    throw new AwsFault(
      'InvalidParameterCombination',
      'Max storage size must be at least 10% greater than the allocated storage.',
    );
  if (max !== undefined) c.maxAllocatedGb = max;
  if (cls !== undefined && cls !== db.instanceClass) {
    c.pending.DBInstanceClass = cls;
    if (now) {
      db.status = 'modifying';
      fleet.rdsEvent(db.id, `Applying modification to database instance class`, ['configuration change']);
      fleet.after(12_000, () => {
        db.instanceClass = cls;
        delete c.pending.DBInstanceClass;
        db.status = 'available';
        fleet.rdsEvent(db.id, `Finished applying modification to DB instance class`, ['configuration change']);
      });
    }
  }
  if (gb !== undefined && gb !== db.allocatedGb) {
    c.pending.AllocatedStorage = gb;
    db.status = 'modifying';
    fleet.rdsEvent(db.id, `Applying modification to allocated storage`, ['configuration change']);
    fleet.after(8_000, () => {
      db.allocatedGb = gb;
      delete c.pending.AllocatedStorage;
      db.status = 'storage-optimization';
      c.storageLockedUntil = fleet.now() + 20_000 * fleet.timeScale;
      fleet.rdsEvent(db.id, 'The storage optimization for this instance is in progress.', ['configuration change']);
    });
    fleet.after(20_000, () => {
      if (db.status === 'storage-optimization') db.status = 'available';
      fleet.rdsEvent(db.id, 'The storage optimization for this instance is complete.', ['configuration change']);
    });
  }
  return db;
}

function group(fleet: Fleet, name: unknown): Param[] {
  const g = state(fleet).groups.get(String(name));
  if (!g) throw new AwsFault('DBParameterGroupNotFound', `DBParameterGroup not found: ${String(name)}`, 404);
  return g;
}

/** Adds the RDS change operations to the RDS handlers, and their state to DescribeDBInstances (handlers answer synchronously). */
export function withRdsChanges(base: Record<string, Handler>): Record<string, Handler> {
  const describe = (fleet: Fleet, db: RdsInstanceState) => {
    const out = base.DescribeDBInstances({ DBInstanceIdentifier: db.id }, fleet) as { DBInstances: Input[] };
    return overlay(fleet, db, out.DBInstances[0]);
  };
  return {
    ...base,
    DescribeDBInstances: (input, fleet) => {
      const out = base.DescribeDBInstances(input, fleet) as { DBInstances: Input[] };
      return {
        ...out,
        DBInstances: out.DBInstances.map((d) => {
          const db = fleet.rds.get(String(d.DBInstanceIdentifier));
          return db ? overlay(fleet, db, d) : d;
        }),
      };
    },
    ModifyDBInstance: (input, fleet) => ({ DBInstance: describe(fleet, modifyInstance(input, fleet)) }),
    // A reboot applies the static parameters that were waiting for it.
    RebootDBInstance: (input, fleet) => {
      const out = base.RebootDBInstance(input, fleet);
      const c = changesOf(fleet, instance(fleet, input.DBInstanceIdentifier));
      if (c.applyStatus === 'pending-reboot') fleet.after(8000, () => void (c.applyStatus = 'in-sync'));
      return out;
    },
    DescribeDBParameters: (input, fleet) => {
      const all = group(fleet, input.DBParameterGroupName).filter((x) => !input.Source || x.Source === input.Source);
      const from = input.Marker ? Number(Buffer.from(String(input.Marker), 'base64').toString()) : 0;
      const max = Math.min(100, Math.max(20, num(input.MaxRecords) ?? 100));
      const next = from + max < all.length ? Buffer.from(String(from + max)).toString('base64') : undefined;
      return { Parameters: all.slice(from, from + max), Marker: next };
    },
    ModifyDBParameterGroup: (input, fleet) => {
      const name = String(input.DBParameterGroupName ?? '');
      const params = group(fleet, name);
      if (name.startsWith('default.'))
        throw new AwsFault(
          'InvalidParameterValue',
          `The parameter DBParameterGroupName is a default parameter group and cannot be modified: ${name}`,
        );
      const changes = (input.Parameters ?? []) as Input[];
      if (!changes.length || changes.length > 20)
        throw new AwsFault('InvalidParameterValue', 'Parameters must have between 1 and 20 members.');
      let reboot = false;
      for (const change of changes) {
        const param = params.find((x) => x.ParameterName === change.ParameterName);
        if (!param)
          throw new AwsFault(
            'InvalidParameterValue',
            `Could not find parameter with name: ${String(change.ParameterName)}`,
          );
        if (!param.IsModifiable)
          throw new AwsFault('InvalidParameterValue', `The parameter ${param.ParameterName} cannot be modified.`);
        if (param.ApplyType === 'static' && change.ApplyMethod === 'immediate')
          throw new AwsFault('InvalidParameterCombination', `cannot use immediate apply method for static parameter`);
        if (!validParameterValue(param, String(change.ParameterValue ?? '')))
          throw new AwsFault(
            'InvalidParameterValue',
            `Invalid parameter value: ${String(change.ParameterValue)} for: ${param.ParameterName} allowed values are: ${param.AllowedValues}`,
          );
        param.ParameterValue = String(change.ParameterValue);
        param.Source = 'user';
        reboot ||= change.ApplyMethod === 'pending-reboot';
      }
      for (const db of fleet.rds.values()) {
        const c = changesOf(fleet, db);
        if (c.parameterGroup !== name) continue;
        c.applyStatus = 'applying';
        fleet.after(2000, () => {
          c.applyStatus = reboot ? 'pending-reboot' : 'in-sync';
        });
      }
      return { DBParameterGroupName: name };
    },
  };
}
