import type { RuntimeEnv } from '../config/runtime-env.js';
import type { Logger } from '../log.js';
import { AuditRepository } from '../store/audit.js';
import { AuditSpoolFile, defaultSpoolPath } from '../store/audit-spool-file.js';
import { SpoolingAuditTrail } from '../store/audit-spool.js';
import type { Pool } from '../store/pool.js';

/**
 * The audit trail of one process: writes bounded in time, rows Postgres did not take spooled to a file
 * (OPSBOT_AUDIT_SPOOL) and written later, rows an earlier process spooled replayed.
 */
export function openAuditTrail(env: RuntimeEnv, pool: Pool, log: Logger): SpoolingAuditTrail {
  const audit = new SpoolingAuditTrail(new AuditRepository(pool), {
    onDrop: (entry) => log.error({ command: entry.command, actor: entry.actorId }, 'audit spool full: row dropped'),
    file: new AuditSpoolFile(env.auditSpoolPath ?? defaultSpoolPath(env.redisPrefix), (msg, err) =>
      log.warn({ err }, msg),
    ),
  });
  if (audit.replayed > 0) log.info({ rows: audit.replayed }, 'replaying audit rows spooled by an earlier process');
  return audit;
}
