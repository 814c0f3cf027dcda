import type { OpsConfig } from '../config/schema.js';
import type { ActivityRecorder } from '../activity.js';
import type { Logger } from '../log.js';
import type { AlertRepository, StoredAlert } from '../store/alerts.js';
import type { AlertGrouper } from './grouper.js';
import type { AlertDelivery } from '../core/alert-delivery.js';
import { routeAlert } from './router.js';
import type { SilenceBook } from './silences.js';
import type { NormalizedAlert } from './types.js';

export interface PipelineDeps {
  config: OpsConfig;
  repo: AlertRepository;
  silences: SilenceBook;
  grouper: AlertGrouper;
  outbox: AlertDelivery;
  activity: ActivityRecorder;
  log: Logger;
  /** Runs `incident declare <sev> <title>` as opsbot (routes with autoIncident). */
  declareIncident(alert: StoredAlert): Promise<void>;
  /** On-call paging (src/oncall): a new P0/P1 alert pages; a resolved one ends its page. */
  paging?: AlertPaging;
}

export interface AlertPaging {
  firing(alert: StoredAlert): Promise<void>;
  acknowledged(alert: StoredAlert, userId: string): Promise<void>;
  resolved(alert: StoredAlert): Promise<void>;
}

export type Outcome = 'posted' | 'updated' | 'resolved' | 'silenced' | 'ignored' | 'unrouted';

/**
 * One normalised alert through the pipeline: route, silence check, dedupe
 * (atomic upsert), grouping, then a request to the outbox. Runs in the
 * alert worker, never in the HTTP request that accepted the alert.
 */
export class AlertPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  /** `notificationId` makes a retry of the same notification count once (see AlertRepository.upsertFiring). */
  async process(alert: NormalizedAlert, notificationId?: string): Promise<Outcome> {
    const { repo, outbox, log } = this.deps;
    if (alert.state === 'resolved') {
      const resolved = await repo.resolve(alert.key);
      if (!resolved) return 'ignored';
      await this.deps.paging?.resolved(resolved).catch((err) => log.error({ err }, 'ending the page failed'));
      if (resolved.messageId) {
        await repo.touchMessage(resolved.messageId);
        await outbox.requestSync(resolved.messageId, resolved.channelId);
        void this.record(resolved, `resolved: ${resolved.title}`);
      }
      return 'resolved';
    }
    const route = routeAlert(this.deps.config, alert);
    if (!route.channel) {
      log.error(
        { key: alert.key, title: alert.title },
        'alert matched no route and channels.alerts is not set; add one to ops.yml',
      );
      return 'unrouted';
    }
    const silence = await this.deps.silences.matching(alert);
    const {
      alert: stored,
      inserted,
      repeat,
    } = await repo.upsertFiring(
      alert,
      { channel: route.channel, index: route.index, severity: route.severity },
      silence?.id,
      notificationId,
    );
    if (stored.silenceId) {
      if (!repeat) await this.deps.silences.repo.countSuppressed(stored.silenceId);
      return 'silenced';
    }
    if (stored.messageId) {
      await repo.touchMessage(stored.messageId);
      await outbox.requestSync(stored.messageId, stored.channelId);
      return 'updated';
    }
    await this.show(stored);
    if (inserted && (route.severity === 'P0' || route.severity === 'P1'))
      await this.deps.paging?.firing(stored).catch((err) => log.error({ err, key: stored.key }, 'paging failed'));
    if (inserted && route.autoIncident && (route.severity === 'P0' || route.severity === 'P1')) {
      await this.deps
        .declareIncident(stored)
        .catch((err) => log.error({ err, key: stored.key }, 'automatic incident declaration failed'));
    }
    return 'posted';
  }

  /** Puts an alert that is not in any message yet into one (new, or released from a silence). */
  async show(alert: StoredAlert): Promise<void> {
    const messageId = await this.deps.grouper.attach(alert);
    await this.deps.outbox.requestSync(messageId, alert.channelId);
    void this.record(
      alert,
      `${alert.severity} alert: ${alert.title}${alert.environment ? ` (${alert.environment})` : ''}`,
    );
  }

  private async record(alert: StoredAlert, text: string): Promise<void> {
    await this.deps.activity.record({
      channelId: alert.channelId,
      kind: 'alert',
      actorId: 'opsbot',
      text,
      detail: {
        alertId: alert.id,
        key: alert.key,
        severity: alert.severity,
        state: alert.state,
        environment: alert.environment,
        source: alert.source,
      },
    });
  }
}
