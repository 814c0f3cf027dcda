import type { AccessControl } from '../access/policy.js';
import type { ApprovalGate } from '../access/approval-gate.js';
import type { ActivityRecorder } from '../activity.js';
import type { Alerts } from '../alerts/service.js';
import type { AwsAccess } from '../aws/clients.js';
import type { Checklists } from '../checklists/service.js';
import type { DockerAccess } from '../docker/access.js';
import type { Incidents } from '../incidents/ports.js';
import type { Pm2Access } from '../pm2/access.js';
import type { Probes } from '../probes/index.js';
import type { TargetDatabaseAccess } from '../probes/target-postgres.js';
import type { AuditTrail } from '../store/audit.js';
import type { BackupVerifications } from '../store/backup-verifications.js';
import type { DrTests } from '../store/dr-tests.js';
import type { DbSizeHistory } from '../store/db-size-history.js';
import type { HelpCatalog } from './help.js';
import type { JobControl } from './job.js';
import type { Oncall } from '../oncall/service.js';

/**
 * What commands and jobs are handed through ctx.services: one narrow interface
 * per outside system or capability, each carrying only the methods its
 * consumers call. src/runtime.ts builds the real ones; tests hand fakes
 * (test/support/services.ts).
 */
export interface Services {
  audit: AuditTrail;
  jobs: JobControl;
  probes: Probes;
  /** The command table as help shows it, with each command's access notes. */
  help: HelpCatalog;
  access: AccessControl;
  approvals: ApprovalGate;
  /** AWS sessions per environment (commands use ctx.aws()). */
  aws: AwsAccess;
  /** The environments' own Postgres databases (commands use ctx.db()). */
  targets: TargetDatabaseAccess;
  /** Docker Engines of self-hosted environments (commands use ctx.docker()). */
  docker: DockerAccess;
  /** pm2 daemons of self-hosted environments (commands use ctx.pm2()). */
  pm2: Pm2Access;
  /** What happens in channels (commands, approvals, alerts), for the incident timeline. */
  activity: ActivityRecorder;
  /** The incident workflow: declare, acknowledge, update, resolve, timeline. */
  incidents: Incidents;
  /** Recurring checklists: post, tick, skip, status. */
  checklists: Checklists;
  /** Results of /ops backup verify: the last verified backup per environment. */
  backupVerifications: BackupVerifications;
  /** Results of /ops dr test: achieved RTO/RPO, for status and checklists. */
  drTests: DrTests;
  /** Daily database sizes per environment (/ops db size growth). */
  dbSizes: DbSizeHistory;
  /** Alert routing: the alert list, silences. */
  alerts: Alerts;
  /** On-call schedules, overrides and swaps (`/ops oncall`). */
  oncall: Oncall;
  clock(): Date;
}
