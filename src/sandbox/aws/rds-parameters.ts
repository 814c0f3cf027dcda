// The simulated postgres16 parameter group: a small, realistic slice of what RDS lists, and its value checks.

export interface Param {
  ParameterName: string;
  ParameterValue?: string;
  Description: string;
  Source: 'engine-default' | 'system' | 'user';
  ApplyType: 'static' | 'dynamic';
  DataType: 'integer' | 'string' | 'boolean' | 'list' | 'float';
  AllowedValues: string;
  IsModifiable: boolean;
  MinimumEngineVersion: string;
  ApplyMethod: 'immediate' | 'pending-reboot';
}

const p = (
  name: string,
  applyType: Param['ApplyType'],
  dataType: Param['DataType'],
  allowed: string,
  description: string,
  value?: string,
  source: Param['Source'] = value === undefined ? 'engine-default' : 'system',
  modifiable = true,
): Param => ({
  ParameterName: name,
  ParameterValue: value,
  Description: description,
  Source: source,
  ApplyType: applyType,
  DataType: dataType,
  AllowedValues: allowed,
  IsModifiable: modifiable,
  MinimumEngineVersion: '16.1',
  ApplyMethod: 'pending-reboot',
});

/** A small but realistic slice of a postgres16 parameter group, in the order RDS lists them (by name). */
export function catalogue(): Param[] {
  const all: Param[] = [
    p(
      'checkpoint_timeout',
      'dynamic',
      'integer',
      '30-86400',
      '(s) Sets the maximum time between automatic WAL checkpoints.',
      '300',
    ),
    p(
      'deadlock_timeout',
      'dynamic',
      'integer',
      '1-2147483647',
      '(ms) Sets the time to wait on a lock before checking for deadlock.',
    ),
    p('default_statistics_target', 'dynamic', 'integer', '1-10000', 'Sets the default statistics target.'),
    p(
      'lock_timeout',
      'dynamic',
      'integer',
      '0-2147483647',
      '(ms) Sets the maximum allowed duration of any wait for a lock.',
    ),
    p(
      'log_autovacuum_min_duration',
      'dynamic',
      'integer',
      '-1-2147483647',
      '(ms) Sets the minimum execution time above which autovacuum actions will be logged.',
      '10000',
    ),
    p('log_connections', 'dynamic', 'boolean', '0,1', 'Logs each successful connection.'),
    p('log_disconnections', 'dynamic', 'boolean', '0,1', 'Logs end of a session, including duration.'),
    p(
      'max_wal_size',
      'dynamic',
      'integer',
      '2-2147483647',
      '(MB) Sets the WAL size that triggers a checkpoint.',
      '2048',
    ),
    p(
      'temp_file_limit',
      'dynamic',
      'integer',
      '-1-2147483647',
      '(kB) Limits the total size of all temporary files used by each session.',
    ),
    p(
      'autovacuum_vacuum_scale_factor',
      'dynamic',
      'float',
      '0-100',
      'Number of tuple updates or deletes prior to vacuum as a fraction of reltuples.',
    ),
    p(
      'effective_cache_size',
      'dynamic',
      'integer',
      '1-2147483647',
      "(8kB) Sets the planner's assumption about the size of the disk cache.",
      '{DBInstanceClassMemory/16384}',
    ),
    p(
      'idle_in_transaction_session_timeout',
      'dynamic',
      'integer',
      '0-2147483647',
      '(ms) Sets the maximum allowed duration of any idling transaction.',
      '86400000',
    ),
    p('log_lock_waits', 'dynamic', 'boolean', '0,1', 'Logs long lock waits.'),
    p(
      'log_min_duration_statement',
      'dynamic',
      'integer',
      '-1-2147483647',
      '(ms) Sets the minimum execution time above which statements will be logged.',
    ),
    p('log_statement', 'dynamic', 'string', 'none,ddl,mod,all', 'Sets the type of statements logged.'),
    p(
      'maintenance_work_mem',
      'dynamic',
      'integer',
      '1024-2147483647',
      '(kB) Sets the maximum memory to be used for maintenance operations.',
      'GREATEST({DBInstanceClassMemory*1024/63963136},65536)',
    ),
    p(
      'max_connections',
      'static',
      'integer',
      '6-262143',
      'Sets the maximum number of concurrent connections.',
      'LEAST({DBInstanceClassMemory/9531392},5000)',
    ),
    p(
      'port',
      'static',
      'integer',
      '1-65535',
      'Sets the TCP port the server listens on.',
      '{EndPointPort}',
      'system',
      false,
    ),
    p(
      'random_page_cost',
      'dynamic',
      'float',
      '0-1.79769e+308',
      "Sets the planner's estimate of the cost of a nonsequentially fetched disk page.",
    ),
    p('rds.force_ssl', 'dynamic', 'boolean', '0,1', 'Force SSL connections.', '1'),
    p(
      'shared_buffers',
      'static',
      'integer',
      '16-1073741823',
      '(8kB) Sets the number of shared memory buffers used by the server.',
      '{DBInstanceClassMemory/32768}',
    ),
    p(
      'shared_preload_libraries',
      'static',
      'list',
      'auto_explain,orafce,pg_cron,pg_hint_plan,pg_stat_statements,pglogical',
      'Lists shared libraries to preload into server.',
      'pg_stat_statements',
    ),
    p(
      'statement_timeout',
      'dynamic',
      'integer',
      '0-2147483647',
      '(ms) Sets the maximum allowed duration of any statement.',
    ),
    p('track_io_timing', 'dynamic', 'boolean', '0,1', 'Collects timing statistics for database I/O activity.', '1'),
    p(
      'work_mem',
      'dynamic',
      'integer',
      '64-2147483647',
      '(kB) Sets the maximum memory to be used for query workspaces.',
    ),
  ];
  return all.sort((a, b) => a.ParameterName.localeCompare(b.ParameterName));
}

export function validParameterValue(param: Param, value: string): boolean {
  if (value.startsWith('{') || /^(LEAST|GREATEST|SUM)\(/.test(value)) return true;
  const range = /^(-?[\d.e+]+)-(-?[\d.e+]+)$/.exec(param.AllowedValues);
  if (param.DataType === 'integer' && !/^-?\d+$/.test(value)) return false;
  if (range) return Number(value) >= Number(range[1]) && Number(value) <= Number(range[2]);
  if (param.DataType === 'list') return value.split(',').every((v) => param.AllowedValues.split(',').includes(v));
  return param.AllowedValues.split(',').includes(value);
}
