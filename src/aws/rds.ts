import { getMetricData } from './cloudwatch.js';
import { AwsError, type AwsSession } from './session.js';
import { rds } from './sdk.js';

export interface RdsInstance {
  id: string;
  /** available, backing-up, modifying, storage-full, stopped… */
  status: string;
  instanceClass: string;
  engine: string;
  engineVersion?: string;
  allocatedGb: number;
  maxAllocatedGb?: number;
  multiAz: boolean;
  storageType?: string;
  pendingModifications: string[];
}

export async function describeRdsInstance(s: AwsSession, id: string): Promise<RdsInstance> {
  let out;
  try {
    out = await s.call('rds:DescribeDBInstances', (abortSignal) =>
      s.clients.rds.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }), { abortSignal }),
    );
  } catch (err) {
    if (err instanceof AwsError && err.kind === 'not-found') {
      throw new AwsError(
        `RDS has no instance \`${id}\`${s.region ? ` in ${s.region}` : ''}. Check \`rds.instance\` in ops.yml.`,
        'not-found',
        err.action,
      );
    }
    throw err;
  }
  const db = out.DBInstances?.[0];
  if (!db)
    throw new AwsError(
      `RDS has no instance \`${id}\`. Check \`rds.instance\` in ops.yml.`,
      'not-found',
      'rds:DescribeDBInstances',
    );
  const pending = Object.entries(db.PendingModifiedValues ?? {})
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`);
  return {
    id: db.DBInstanceIdentifier ?? id,
    status: db.DBInstanceStatus ?? 'unknown',
    instanceClass: db.DBInstanceClass ?? '?',
    engine: db.Engine ?? '?',
    engineVersion: db.EngineVersion,
    allocatedGb: db.AllocatedStorage ?? 0,
    maxAllocatedGb: db.MaxAllocatedStorage,
    multiAz: db.MultiAZ ?? false,
    storageType: db.StorageType,
    pendingModifications: pending,
  };
}

/** GiB of memory per instance size, for Postgres's default max_connections (LEAST(mem/9531392, 5000)). */
const SIZE_GIB: Record<string, number> = {
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  '2xlarge': 32,
  '4xlarge': 64,
  '8xlarge': 128,
  '12xlarge': 192,
  '16xlarge': 256,
  '24xlarge': 384,
};

/**
 * The default max_connections of RDS Postgres for an instance class, estimated
 * from its memory (r-classes have twice the memory of m-classes of the same size).
 * Undefined when the class is unknown: set rds.maxConnections in ops.yml instead.
 */
export function estimateMaxConnections(instanceClass: string): number | undefined {
  const match = /^db\.([a-z]+)\d+[a-z]*\.(\w+)$/.exec(instanceClass);
  if (!match) return undefined;
  const [, family, size] = match;
  const base = SIZE_GIB[size];
  if (base === undefined) return undefined;
  const gib = family === 'r' || family === 'x' ? base * 2 : family === 'c' ? base / 2 : base;
  // DBInstanceClassMemory is a little below the nominal memory (the OS keeps some).
  return Math.min(5000, Math.round((gib * 1024 ** 3 * 0.9) / 9531392));
}

/** The newest FreeStorageSpace datapoint of the last hour, in GB (RDS does not report it in DescribeDBInstances). */
export async function latestFreeStorageGb(s: AwsSession, id: string, now: Date): Promise<number | undefined> {
  const series = await getMetricData(
    s,
    [
      {
        Id: 'free',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/RDS',
            MetricName: 'FreeStorageSpace',
            Dimensions: [{ Name: 'DBInstanceIdentifier', Value: id }],
          },
          Period: 300,
          Stat: 'Minimum',
        },
      },
    ],
    new Date(now.getTime() - 3_600_000),
    now,
  );
  const last = series.get('free')?.points.at(-1);
  return last ? last.value / 1024 ** 3 : undefined;
}
