import type { CommandDefinition } from '../src/core/command.js';
import { help } from './help.js';
import { health } from './health.js';
import { jobsList } from './jobs/list.js';
import { jobsCancel } from './jobs/cancel.js';
import { dbConnections } from './db/connections.js';
import { dbActivity } from './db/activity.js';
import { dbLong } from './db/long.js';
import { dbLocks } from './db/locks.js';
import { dbSlow } from './db/slow.js';
import { dbSize } from './db/size.js';
import { dbTables } from './db/tables.js';
import { dbIndexes } from './db/indexes.js';
import { dbVacuumStats } from './db/vacuum-stats.js';
import { dbBloat } from './db/bloat.js';
import { dbCache } from './db/cache.js';
import { dbVacuum } from './db/vacuum.js';
import { dbKillIdle } from './db/kill-idle.js';
import { dbKill } from './db/kill.js';
import { dbExplain } from './db/explain.js';
import { dbReindex } from './db/reindex.js';
import { dbMissingIndexes } from './db/missing-indexes.js';
import { dbResize } from './db/resize.js';
import { dbStorage } from './db/storage.js';
import { dbParams } from './db/params.js';
import { dbParam } from './db/param.js';
import { query } from './query.js';
import { status } from './status.js';
import { alarms } from './alarms.js';
import { metrics } from './metrics.js';
import { logs } from './logs.js';
import { stats } from './stats.js';
import { deployHistory } from './deploy/history.js';
import { checklistPost } from './checklist/post.js';
import { checklistList } from './checklist/list.js';
import { checklistStatus } from './checklist/status.js';
import { checklistSkip } from './checklist/skip.js';
import { rollback } from './rollback.js';
import { restart } from './restart.js';
import { scale } from './scale.js';
import { backup } from './backup/backup.js';
import { backupList } from './backup/list.js';
import { backupVerify } from './backup/verify.js';
import { backupCopy } from './backup/copy.js';
import { drTest } from './dr/test.js';
import { restore } from './restore.js';
import { incidentDeclare } from './incident/declare.js';
import { incidentAck } from './incident/ack.js';
import { incidentAssign } from './incident/assign.js';
import { incidentSeverity } from './incident/severity.js';
import { incidentUpdate } from './incident/update.js';
import { incidentMitigated } from './incident/mitigated.js';
import { incidentNote } from './incident/note.js';
import { incidentResolve } from './incident/resolve.js';
import { incidentTimeline } from './incident/timeline.js';
import { incidentList } from './incident/list.js';
import { incidentPostmortem } from './incident/postmortem.js';
import { alertsList } from './alerts.js';
import { silenceList } from './silence/list.js';
import { silenceAdd } from './silence/add.js';
import { silenceRemove } from './silence/remove.js';
import { oncallNow } from './oncall/now.js';
import { oncallSchedule } from './oncall/schedule.js';
import { oncallOverride } from './oncall/override.js';
import { oncallOverrides } from './oncall/overrides.js';
import { oncallOverrideRemove } from './oncall/override-remove.js';
import { oncallSwap } from './oncall/swap.js';
import { tls } from './tls.js';
import { targets } from './targets.js';
import { logsRetention } from './logs-retention.js';
import { logsInsights } from './logs-insights.js';
import { config } from './config.js';
import { rebuild } from './rebuild.js';
import { cdn } from './cdn.js';
import { cdnInvalidate } from './cdn-invalidate.js';
import { cost } from './cost.js';
import { autoscaling } from './autoscaling.js';
import { alarmsAudit } from './alarms-audit.js';

/** Every /ops command, listed by hand: the registry rejects duplicate names at start-up. */
export const commands: CommandDefinition[] = [
  help,
  health,
  jobsList,
  jobsCancel,
  dbConnections,
  dbActivity,
  dbLong,
  dbLocks,
  dbSlow,
  dbSize,
  dbTables,
  dbIndexes,
  dbVacuumStats,
  dbBloat,
  dbCache,
  dbVacuum,
  dbKillIdle,
  dbKill,
  dbExplain,
  dbReindex,
  dbMissingIndexes,
  dbResize,
  dbStorage,
  dbParams,
  dbParam,
  query,
  status,
  alarms,
  metrics,
  logs,
  stats,
  deployHistory,
  checklistPost,
  checklistList,
  checklistStatus,
  checklistSkip,
  rollback,
  restart,
  scale,
  backup,
  backupList,
  backupVerify,
  backupCopy,
  drTest,
  restore,
  incidentDeclare,
  incidentAck,
  incidentAssign,
  incidentSeverity,
  incidentUpdate,
  incidentMitigated,
  incidentNote,
  incidentResolve,
  incidentTimeline,
  incidentList,
  incidentPostmortem,
  alertsList,
  silenceList,
  silenceAdd,
  silenceRemove,
  oncallNow,
  oncallSchedule,
  oncallOverride,
  oncallOverrides,
  oncallOverrideRemove,
  oncallSwap,
  tls,
  targets,
  logsRetention,
  logsInsights,
  config,
  rebuild,
  cdn,
  cdnInvalidate,
  cost,
  autoscaling,
  alarmsAudit,
];
