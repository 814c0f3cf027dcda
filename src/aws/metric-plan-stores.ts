import { max, min, type PlanBuilder, type PlanInput } from './metric-spec.js';

const GIB = 1024 ** 3;

/** RDS: CPU, connections (share of max, and the absolute lines when set or when the max is unknown), storage, latency. */
export function planDatabase(input: PlanInput, b: PlanBuilder): void {
  const { env } = input;
  const t = env.thresholds.db;
  const { stat, expr, src, specs, notes } = b;
  const dims = { DBInstanceIdentifier: env.rds!.instance };
  const ns = 'AWS/RDS';
  const cpu = stat('db_cpu', src(ns, 'CPUUtilization', dims), 'Average', 'DB CPU');
  specs.push({ id: 'db_cpu', group: 'Database', label: 'CPU', unit: '%', limit: max(t.cpuPercent), sources: [cpu] });
  const absolute = env.thresholds.explicit.includes('db.connections');
  if (input.maxConnections) {
    const conn = stat(
      'db_conn_n',
      src(ns, 'DatabaseConnections', dims),
      'Maximum',
      absolute ? 'connections' : undefined,
    );
    expr('db_conn', `100*db_conn_n/${input.maxConnections}`, 'connections');
    specs.push({
      id: 'db_conn',
      group: 'Database',
      label: `connections (of ${input.maxConnections})`,
      unit: '%',
      limit: max(t.connectionsPercent),
      sources: [conn],
    });
    if (absolute)
      specs.push({
        id: 'db_conn_n',
        group: 'Database',
        label: 'connections',
        unit: 'count',
        limit: max(t.connections),
        sources: [conn],
      });
  } else {
    const conn = stat('db_conn', src(ns, 'DatabaseConnections', dims), 'Maximum', 'connections');
    specs.push({
      id: 'db_conn',
      group: 'Database',
      label: 'connections',
      unit: 'count',
      limit: max(t.connections),
      sources: [conn],
    });
    notes.push(
      'DB connections are judged as a count (ESN: < 50 good, > 80 alert): set `rds.maxConnections` in ops.yml to compare them with the maximum.',
    );
  }
  const free = stat('db_free_b', src(ns, 'FreeStorageSpace', dims), 'Minimum');
  expr('db_free', `db_free_b/${GIB}`, 'free storage');
  specs.push({
    id: 'db_free',
    group: 'Database',
    label: 'free storage',
    unit: 'GB',
    limit: min(t.freeStorageGb),
    sources: [free],
  });
  const rlat = stat('db_rlat_s', src(ns, 'ReadLatency', dims), 'Average');
  const wlat = stat('db_wlat_s', src(ns, 'WriteLatency', dims), 'Average');
  expr('db_rlat', '1000*db_rlat_s', 'read latency');
  expr('db_wlat', '1000*db_wlat_s', 'write latency');
  specs.push({
    id: 'db_rlat',
    group: 'Database',
    label: 'read latency',
    unit: 'ms',
    limit: max(t.readLatencyMs),
    sources: [rlat],
  });
  specs.push({
    id: 'db_wlat',
    group: 'Database',
    label: 'write latency',
    unit: 'ms',
    limit: max(t.writeLatencyMs),
    sources: [wlat],
  });
  // Watched by the guides without a line of their own: shown for context, never judged.
  const mem = stat('db_mem_b', src(ns, 'FreeableMemory', dims), 'Minimum');
  expr('db_mem', `db_mem_b/${GIB}`, 'freeable memory');
  specs.push({ id: 'db_mem', group: 'Database', label: 'freeable memory', unit: 'GB', sources: [mem] });
  const riops = stat('db_riops', src(ns, 'ReadIOPS', dims), 'Average', 'read IOPS');
  specs.push({ id: 'db_riops', group: 'Database', label: 'read IOPS', unit: 'count', sources: [riops] });
  const wiops = stat('db_wiops', src(ns, 'WriteIOPS', dims), 'Average', 'write IOPS');
  specs.push({ id: 'db_wiops', group: 'Database', label: 'write IOPS', unit: 'count', sources: [wiops] });
}

/** ElastiCache: engine CPU, memory, and the hit ratio against its own line. */
export function planCache(input: PlanInput, b: PlanBuilder): void {
  const t = input.env.thresholds;
  const { stat, expr, src, specs } = b;
  const dims = { CacheClusterId: input.env.elasticache!.cluster };
  const ns = 'AWS/ElastiCache';
  const cpu = stat('cache_cpu', src(ns, 'EngineCPUUtilization', dims), 'Average', 'cache CPU');
  const mem = stat('cache_mem', src(ns, 'DatabaseMemoryUsagePercentage', dims), 'Average', 'cache memory');
  const hits = stat('cache_hits', src(ns, 'CacheHits', dims), 'Sum');
  const miss = stat('cache_miss', src(ns, 'CacheMisses', dims), 'Sum');
  expr('cache_hit', '100*cache_hits/(cache_hits+cache_miss)', 'hit ratio');
  specs.push({
    id: 'cache_cpu',
    group: 'Cache',
    label: 'CPU',
    unit: '%',
    limit: max(t.cache.cpuPercent),
    sources: [cpu],
  });
  specs.push({
    id: 'cache_mem',
    group: 'Cache',
    label: 'memory',
    unit: '%',
    limit: max(t.cache.memoryPercent),
    sources: [mem],
  });
  specs.push({
    id: 'cache_hit',
    group: 'Cache',
    label: 'hit ratio',
    unit: '%',
    limit: min(t.cache.hitPercent),
    sources: [hits, miss],
    missingHint: 'no cache reads in the window',
  });
}
