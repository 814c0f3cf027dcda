import type { AccessPolicy } from '../access/policy.js';
import type { IncidentService } from '../incidents/service.js';
import type { ActivityLog } from '../activity.js';
import type { ApprovalGate } from '../access/approval-gate.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Probes } from '../probes/index.js';
import type { CommandRegistry } from '../router/registry.js';
import type { AuditRepository } from '../store/audit.js';
import type { AwsClientFactory } from '../aws/clients.js';
import type { TargetDatabases } from '../probes/target-postgres.js';
import type { ChecklistService } from '../checklists/service.js';
import type { BackupVerificationRepository } from '../store/backup-verifications.js';
import type { AlertService } from '../alerts/service.js';

/**
 * Long-lived dependencies handed to commands and jobs through ctx.services.
 * Each outside system is reached through one of these, so tests swap them here.
 */
export interface Services {
  audit: AuditRepository;
  jobs: JobQueue;
  probes: Probes;
  registry: CommandRegistry;
  access: AccessPolicy;
  approvals: ApprovalGate;
  /** AWS SDK clients per environment's region. */
  aws: AwsClientFactory;
  /** The environments' own Postgres databases, for /ops db. */
  targets: TargetDatabases;
  /** What happens in channels (commands, approvals, alerts), for the incident timeline. */
  activity: ActivityLog;
  /** The incident workflow: declare, acknowledge, update, resolve, timeline. */
  incidents: IncidentService;
  /** Recurring checklists: post, tick, skip, status. */
  checklists: ChecklistService;
  /** Results of /ops backup verify: the last verified backup per environment. */
  backupVerifications: BackupVerificationRepository;
  /** Alert routing: the alert list, silences. */
  alerts: AlertService;
  clock(): Date;
}
