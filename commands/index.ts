import type { CommandDefinition } from '../src/commands/definition.js';
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
import { checklistPost } from './checklist/post.js';
import { checklistList } from './checklist/list.js';
import { checklistStatus } from './checklist/status.js';
import { checklistSkip } from './checklist/skip.js';

/** Every /ops command, listed by hand: the registry rejects duplicate names at start-up. */
export const commands: CommandDefinition[] = [help, health, jobsList, jobsCancel, dbConnections, dbActivity, dbLong, dbLocks, dbSlow, dbSize, dbTables, dbIndexes, dbVacuumStats, dbBloat, dbCache, dbVacuum, dbKillIdle, dbKill, checklistPost, checklistList, checklistStatus, checklistSkip];
