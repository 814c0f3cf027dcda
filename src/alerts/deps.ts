import type { Redis } from 'ioredis';
import type { AccessControl } from '../access/policy.js';
import type { ActivityRecorder } from '../activity.js';
import type { AwsAccess } from '../aws/clients.js';
import type { OpsConfig } from '../config/schema.js';
import type { AlertDelivery, DeliveryBacklog } from '../core/alert-delivery.js';
import type { Reply } from '../core/reply.js';
import type { Incidents } from '../incidents/ports.js';
import type { Logger } from '../log.js';
import type { Probes } from '../probes/index.js';
import type { AlertMessage, AlertRepository, StoredAlert } from '../store/alerts.js';
import type { Pool } from '../store/pool.js';
import type { Silence } from '../store/silences.js';
import type { AlertListEntry } from '../../views/alert-list.js';
import type { SubscriptionConfirmer } from './intake.js';
import type { AlertPaging } from './pipeline.js';
import type { CertificateFetcher } from './sns-verifier.js';

// What the alert service is given (its dependencies) and what it offers the commands (the Alerts port).
/** What tests (and unusual deployments) may swap: the SNS certificate fetch and subscription confirmation. */
export interface AlertHooks {
  fetchCert?: CertificateFetcher;
  confirmSubscription?: SubscriptionConfirmer;
}

export interface AlertServiceDeps {
  config: OpsConfig;
  pool: Pool;
  /** Fail-fast connection for pacing buckets, locks and flags. */
  redis: Redis;
  /** BullMQ connection (maxRetriesPerRequest: null). */
  connection: Redis;
  prefix: string;
  /** Builds the delivery (the Slack outbox) over this service's alert store and renderer. */
  delivery(parts: { repo: AlertRepository; render(message: AlertMessage): Promise<Reply | undefined> }): AlertDelivery;
  /** Critical alerts and the Open incident button declare incidents here, directly. */
  incidents: Incidents;
  /** Who may press Open incident (the same rule as `/ops incident declare`). */
  access: AccessControl;
  /** The CloudWatch poller's AWS clients. */
  aws: AwsAccess;
  activity: ActivityRecorder;
  log: Logger;
  hooks?: AlertHooks;
  /** On-call paging for P0/P1 alerts (src/oncall); absent without an `oncall:` section. */
  paging?: AlertPaging;
  /** Synthetic checks (health probes with `every`) probe through these; without them none are scheduled. */
  probes?: Pick<Probes, 'http'>;
}

/** Alerts as the /ops alerts and silence commands use them. */
export interface Alerts {
  listFiring(): Promise<{ alerts: AlertListEntry[]; activeSilences: number }>;
  activeSilences(): Promise<Silence[]>;
  addSilence(input: {
    matcher: string;
    durationMs: number;
    reason?: string;
    createdBy: string;
    channelId?: string;
  }): Promise<{ silence: Silence; applied: StoredAlert[] }>;
  removeSilence(id: string, userId: string): Promise<Silence | undefined>;
  /** The Slack outbox's backlog (deliveries waiting, retrying, failed; unsent message changes). */
  deliveryBacklog(): Promise<DeliveryBacklog>;
}
