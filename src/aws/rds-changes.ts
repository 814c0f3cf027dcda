import type { DBInstance } from '@aws-sdk/client-rds';
import { UserError } from '../errors.js';
import { follow, pollSession, type FollowOptions } from './action-follow.js';
import type { AwsClients } from './clients.js';
import { AwsError, type AwsSession } from './session.js';
import { rds } from './sdk.js';

/** What a class or storage change of an RDS instance plans from and checks again before acting. */
export interface RdsChangeTarget {
  id: string;
  /** available, modifying, storage-optimization, backing-up… */
  status: string;
  instanceClass: string;
  engine: string;
  engineVersion?: string;
  allocatedGb: number;
  maxAllocatedGb?: number;
  storageType?: string;
  multiAz: boolean;
  /** "sun:05:00-sun:05:30" (UTC), as RDS keeps it. */
  maintenanceWindow?: string;
  parameterGroup?: { name: string; status?: string };
  /** What is queued for the next maintenance window (PendingModifiedValues). */
  pending: { instanceClass?: string; allocatedGb?: number };
}

function toTarget(db: DBInstance, id: string): RdsChangeTarget {
  const group = db.DBParameterGroups?.[0];
  return {
    id: db.DBInstanceIdentifier ?? id,
    status: db.DBInstanceStatus ?? 'unknown',
    instanceClass: db.DBInstanceClass ?? '?',
    engine: db.Engine ?? '?',
    engineVersion: db.EngineVersion,
    allocatedGb: db.AllocatedStorage ?? 0,
    maxAllocatedGb: db.MaxAllocatedStorage,
    storageType: db.StorageType,
    multiAz: db.MultiAZ ?? false,
    maintenanceWindow: db.PreferredMaintenanceWindow,
    parameterGroup: group?.DBParameterGroupName
      ? { name: group.DBParameterGroupName, status: group.ParameterApplyStatus }
      : undefined,
    pending: {
      instanceClass: db.PendingModifiedValues?.DBInstanceClass,
      allocatedGb: db.PendingModifiedValues?.AllocatedStorage,
    },
  };
}

export async function describeForChange(s: AwsSession, id: string): Promise<RdsChangeTarget> {
  let out;
  try {
    out = await s.call('rds:DescribeDBInstances', (abortSignal) =>
      s.clients.rds.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }), { abortSignal }),
    );
  } catch (err) {
    if (err instanceof AwsError && err.kind === 'not-found')
      throw new AwsError(`RDS has no instance \`${id}\`. Check \`rds.instance\` in ops.yml.`, 'not-found', err.action);
    throw err;
  }
  const db = out.DBInstances?.[0];
  if (!db)
    throw new AwsError(
      `RDS has no instance \`${id}\`. Check \`rds.instance\` in ops.yml.`,
      'not-found',
      'rds:DescribeDBInstances',
    );
  return toTarget(db, id);
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEK_MS = 7 * 86_400_000;

/**
 * The next occurrence of an RDS maintenance window ("sun:05:00-sun:05:30", UTC) at or after `now`; when `now`
 * is inside the window, that window (inProgress). Undefined when the text is not in RDS's format.
 */
export function nextMaintenanceWindow(
  window: string | undefined,
  now: Date,
): { start: Date; end: Date; inProgress: boolean } | undefined {
  const m = /^(\w{3}):(\d{2}):(\d{2})-(\w{3}):(\d{2}):(\d{2})$/.exec((window ?? '').toLowerCase());
  if (!m) return undefined;
  const [startDay, endDay] = [DAYS.indexOf(m[1]), DAYS.indexOf(m[4])];
  if (startDay < 0 || endDay < 0) return undefined;
  // Minutes since Sunday 00:00 UTC for both ends; the end may wrap into the next week (sat:23:30-sun:00:00).
  const startMin = startDay * 1440 + Number(m[2]) * 60 + Number(m[3]);
  let lengthMin = endDay * 1440 + Number(m[5]) * 60 + Number(m[6]) - startMin;
  if (lengthMin <= 0) lengthMin += 7 * 1440;
  const weekStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - now.getUTCDay());
  for (const base of [weekStart - WEEK_MS, weekStart, weekStart + WEEK_MS]) {
    const start = base + startMin * 60_000;
    const end = start + lengthMin * 60_000;
    if (end > now.getTime()) return { start: new Date(start), end: new Date(end), inProgress: start <= now.getTime() };
  }
  return undefined;
}

/** AWS's refusals of a ModifyDBInstance, as what to do instead (the rest stays AWS's words). */
function explainModifyError(err: unknown, id: string, what: string): unknown {
  const e = err as { name?: string; message?: string };
  const detail = (e.message ?? '').split('\n')[0];
  const name = e.name ?? '';
  if (name.startsWith('StorageQuotaExceeded'))
    return new UserError(
      `RDS refused ${what} for \`${id}\`: the account's total RDS storage quota would be exceeded (${detail || name}).`,
      'Ask for a higher "Total storage for all DB instances" quota in Service Quotas (Amazon RDS), or free storage elsewhere, then ask again.',
    );
  if (name === 'InvalidParameterCombination' || name === 'InvalidParameterValue')
    return new UserError(
      `RDS refused ${what} for \`${id}\`: ${detail || name}.`,
      /class|combination/i.test(detail)
        ? 'The class may not be offered for this engine version or region: `aws rds describe-orderable-db-instance-options --engine postgres --engine-version <version>` lists the classes you can use.'
        : 'Storage can grow at most once every 6 hours and by at least 10%; check the instance in `/ops status`.',
    );
  if (name.startsWith('InvalidDBInstanceState'))
    return new UserError(
      `RDS refused ${what}: \`${id}\` is busy (${detail || name}).`,
      'Wait until it is `available` (`/ops status`), then ask again.',
    );
  if (name.startsWith('InsufficientDBInstanceCapacity'))
    return new UserError(
      `RDS has no capacity for that class in the instance's Availability Zone right now (${detail || name}).`,
      'Try again later or choose another class.',
    );
  return err;
}

async function modify(
  s: AwsSession,
  id: string,
  what: string,
  input: {
    DBInstanceClass?: string;
    AllocatedStorage?: number;
    MaxAllocatedStorage?: number;
    ApplyImmediately: boolean;
  },
): Promise<RdsChangeTarget> {
  const out = await s.call('rds:ModifyDBInstance', async (abortSignal) => {
    try {
      return await s.clients.rds.send(new rds.ModifyDBInstanceCommand({ DBInstanceIdentifier: id, ...input }), {
        abortSignal,
      });
    } catch (err) {
      throw explainModifyError(err, id, what);
    }
  });
  return toTarget(out.DBInstance ?? { DBInstanceIdentifier: id }, id);
}

/** ModifyDBInstance DBInstanceClass: now (a reboot), or queued for the next maintenance window. */
export function modifyInstanceClass(
  s: AwsSession,
  id: string,
  instanceClass: string,
  applyImmediately: boolean,
): Promise<RdsChangeTarget> {
  return modify(s, id, `the change to ${instanceClass}`, {
    DBInstanceClass: instanceClass,
    ApplyImmediately: applyImmediately,
  });
}

/** ModifyDBInstance AllocatedStorage (+ MaxAllocatedStorage for autoscaling), applied at once: no downtime. */
export function modifyStorage(s: AwsSession, id: string, gb: number, maxGb?: number): Promise<RdsChangeTarget> {
  return modify(s, id, `the storage change to ${gb} GiB`, {
    AllocatedStorage: gb,
    MaxAllocatedStorage: maxGb,
    ApplyImmediately: true,
  });
}

/** Statuses from which a modification does not finish by itself. */
const STUCK = [
  'failed',
  'storage-full',
  'incompatible-parameters',
  'incompatible-network',
  'inaccessible-encryption-credentials',
];

/** Follows an instance until `done` says the change is visible (RDS gives no percentage: the bar creeps). */
export function followModification(
  clients: AwsClients,
  settings: Omit<FollowOptions, 'waitingFor' | 'afterTimeout'>,
  id: string,
  waitingFor: string,
  done: (db: RdsChangeTarget) => boolean,
): Promise<RdsChangeTarget> {
  return follow(
    {
      ...settings,
      waitingFor,
      afterTimeout: `See where it stands with \`/ops status\` or in the RDS console (\`${id}\`).`,
    },
    async () => {
      const db = await describeForChange(pollSession(clients), id);
      if (done(db)) return { done: true, value: db };
      if (STUCK.includes(db.status))
        throw new UserError(
          `RDS reports \`${id}\` as ${db.status} during the change.`,
          'Look at its events in the RDS console before changing anything else.',
        );
      return { done: false, note: `${db.status}, ${db.instanceClass}, ${db.allocatedGb} GiB` };
    },
  );
}
