import { Queue, Worker, type Job } from 'bullmq';
import type { AlertDelivery, DeliveryBacklog } from '../core/alert-delivery.js';
import type { Feature } from '../core/feature.js';
import type { Logger } from '../log.js';
import { AlertRepository, type StoredAlert } from '../store/alerts.js';
import { SilenceRepository, type Silence } from '../store/silences.js';
import type { AlertListEntry } from '../../views/alert-list.js';
import { alertActions } from './actions.js';
import { AlertGrouper } from './grouper.js';
import { confirmOverHttps, intakeRoutes } from './intake.js';
import { AcceptQueue } from './accept-queue.js';
import { IncidentsFromAlerts } from './incidents-from-alerts.js';
import type { AlertServiceDeps, Alerts } from './deps.js';

export type { AlertHooks, AlertServiceDeps, Alerts } from './deps.js';
import { AlertPipeline } from './pipeline.js';
import { pollCloudWatch } from './poller.js';
import { renderAlertMessage, toAlertViews } from './render.js';
import { SilenceBook } from './silences.js';
import { AlertSweeper } from './sweeper.js';
import { SnsVerifier } from './sns-verifier.js';
import type { NormalizedAlert } from './types.js';
import { runSyntheticCheck, scheduleSyntheticChecks, syntheticChecks } from './synthetic.js';

export const ALERT_QUEUE = 'ops-alerts';
export { ACCEPT_TIMEOUT_MS } from './accept-queue.js';

/**
 * Alert and outbox jobs take milliseconds to seconds, so a killed worker's jobs can be taken back sooner
 * than BullMQ's defaults (30 s lock, 30 s check: about a minute). The lock is renewed every lockDuration/2
 * (5 s), so only an event loop blocked for 10 s makes a live job look stalled; then it runs again, which
 * the pipeline tolerates (counts are idempotent per notification, posts are adopted, not repeated).
 * A killed process's jobs come back within lockDuration + stalledInterval, about 15 s.
 */
export const QUICK_STALL_DETECTION = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 2 };

type AlertJob =
  { alert: NormalizedAlert; notificationId?: string } | { env: string; check: string } | Record<string, never>;

/**
 * Alert routing: three intakes (SNS, webhook, poller) feed one queue; a worker
 * runs each alert through the pipeline; the outbox posts to Slack at Slack's pace.
 */
export class AlertService implements Alerts {
  readonly repo: AlertRepository;
  readonly silenceRepo: SilenceRepository;
  readonly silences: SilenceBook;
  readonly outbox: AlertDelivery;
  readonly pipeline: AlertPipeline;
  private readonly incidentsFromAlerts: IncidentsFromAlerts;
  private readonly sweeper: AlertSweeper;
  readonly queue: Queue<AlertJob>;
  private worker?: Worker<AlertJob>;
  private readonly log: Logger;
  private readonly accepted: AcceptQueue;

  constructor(private readonly deps: AlertServiceDeps) {
    const { config, pool } = deps;
    this.log = deps.log.child({ component: 'alerts' });
    this.repo = new AlertRepository(pool);
    this.silenceRepo = new SilenceRepository(pool);
    this.silences = new SilenceBook(this.silenceRepo, this.repo);
    this.queue = new Queue<AlertJob>(ALERT_QUEUE, {
      connection: deps.connection,
      prefix: deps.prefix,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 86_400 },
      },
    });
    this.accepted = new AcceptQueue(this.queue, deps.connection);
    this.outbox = deps.delivery({
      repo: this.repo,
      render: (message) => renderAlertMessage(message, { config, repo: this.repo, silences: this.silenceRepo }),
    });
    this.incidentsFromAlerts = new IncidentsFromAlerts({
      repo: this.repo,
      outbox: this.outbox,
      incidents: deps.incidents,
      access: deps.access,
    });
    this.pipeline = new AlertPipeline({
      config,
      repo: this.repo,
      silences: this.silences,
      grouper: new AlertGrouper(this.repo, config),
      outbox: this.outbox,
      activity: deps.activity,
      log: this.log,
      declareIncident: (alert) => this.incidentsFromAlerts.auto(alert),
      paging: deps.paging,
    });
    this.sweeper = new AlertSweeper({
      config,
      repo: this.repo,
      silenceRepo: this.silenceRepo,
      silences: this.silences,
      outbox: this.outbox,
      pipeline: this.pipeline,
      refresh: (messageId, channelId) => this.refresh(messageId, channelId),
    });
  }

  /** Intake's one write (see AcceptQueue): the alerts go on the queue, then the HTTP request is answered. */
  accept(alerts: NormalizedAlert[], notificationIds?: string[]): Promise<void> {
    return this.accepted.accept(alerts, notificationIds);
  }

  feature(): Feature {
    return {
      name: 'alerts',
      routes: intakeRoutes({
        config: this.deps.config,
        verifier: new SnsVerifier(this.deps.hooks?.fetchCert),
        confirm: this.deps.hooks?.confirmSubscription ?? confirmOverHttps,
        accept: (alerts, ids) => this.accept(alerts, ids),
        log: this.log,
      }),
      actions: alertActions({
        repo: this.repo,
        silences: this.silences,
        refresh: (messageId, channelId) => this.refresh(messageId, channelId),
        openIncident: (alert, click) => this.incidentsFromAlerts.open(alert, click),
        record: (alert, actorId, text) =>
          this.deps.activity.record({
            channelId: alert.channelId,
            kind: 'alert',
            actorId,
            text,
            detail: { alertId: alert.id, key: alert.key },
          }),
        acknowledged: (alert, userId) => this.deps.paging?.acknowledged(alert, userId) ?? Promise.resolve(),
      }),
      startWorkers: () => this.startWorkers(),
    };
  }

  async startWorkers(): Promise<void> {
    if (this.worker) return;
    const { config, connection, prefix } = this.deps;
    this.outbox.start();
    this.worker = new Worker<AlertJob>(ALERT_QUEUE, (job) => this.run(job), {
      connection,
      prefix,
      concurrency: 8,
      ...QUICK_STALL_DETECTION,
    });
    this.worker.on('error', (err) => this.log.error({ err }, 'alert worker error'));
    this.worker.on('failed', (job, err) =>
      this.log.warn({ err, job: job?.name, attempts: job?.attemptsMade }, 'alert job failed'),
    );
    // Job schedulers: one poll and one sweep per interval however many replicas run.
    if (config.alerts.poll.enabled)
      await this.queue.upsertJobScheduler(
        'alerts-poll',
        { every: config.alerts.poll.every },
        { name: 'poll', data: {} },
      );
    else await this.queue.removeJobScheduler('alerts-poll');
    await this.queue.upsertJobScheduler(
      'alerts-sweep',
      { every: config.alerts.sweepEvery },
      { name: 'sweep', data: {} },
    );
    const synthetic = await scheduleSyntheticChecks(this.queue, this.deps.probes ? this.deps.config : undefined);
    if (synthetic.length) this.log.info({ checks: synthetic }, 'synthetic checks scheduled');
    const pending = await this.outbox.reconcile();
    if (pending) this.log.info({ pending }, 'alert messages with unsent changes queued again');
  }

  private async run(job: Job<AlertJob>): Promise<unknown> {
    if (job.name === 'alert') {
      const { alert, notificationId } = job.data as { alert: NormalizedAlert; notificationId?: string };
      // Jobs queued before notification ids existed count by their BullMQ id: still once per notification.
      return this.pipeline.process(alert, notificationId ?? `job-${job.id}`);
    }
    if (job.name === 'poll') {
      const transitions = await pollCloudWatch({
        config: this.deps.config,
        aws: this.deps.aws,
        repo: this.repo,
        log: this.log,
      });
      await this.accept(transitions);
      return { transitions: transitions.length };
    }
    if (job.name === 'sweep') return this.sweep();
    if (job.name === 'synthetic') return this.runSynthetic(job.data as { env: string; check: string });
    return undefined;
  }

  private async runSynthetic(data: { env: string; check: string }): Promise<unknown> {
    const check = syntheticChecks(this.deps.config).find((c) => c.env === data.env && c.name === data.check);
    if (!check || !this.deps.probes) return { skipped: 'no such synthetic check' };
    const { result, alert } = await runSyntheticCheck(
      { redis: this.deps.redis, prefix: this.deps.prefix, probes: this.deps.probes, clock: () => new Date() },
      check,
    );
    if (alert) await this.accept([alert]);
    return { ok: result.ok, detail: result.detail, transition: alert?.state };
  }

  /** Ended silences are reported (and what still fires is shown again); unacknowledged alerts are mentioned again. */
  sweep(): Promise<{ ended: number; renotified: number }> {
    return this.sweeper.sweep();
  }

  private async refresh(messageId: string | undefined, channelId: string): Promise<void> {
    if (!messageId) return;
    await this.repo.touchMessage(messageId);
    await this.outbox.requestSync(messageId, channelId);
  }

  /** For `/ops alerts`: firing alerts with acknowledgement, silence and a link to their message. */
  async listFiring(): Promise<{ alerts: AlertListEntry[]; activeSilences: number }> {
    const [firing, active] = await Promise.all([this.repo.firing(), this.silenceRepo.active()]);
    const views = await toAlertViews(firing, this.silenceRepo);
    const alerts = views.map((v, i) => ({
      ...v,
      permalink: firing[i].messageTs
        ? `https://slack.com/archives/${firing[i].channelId}/p${firing[i].messageTs!.replace('.', '')}`
        : undefined,
    }));
    return { alerts, activeSilences: active.length };
  }

  async addSilence(input: {
    matcher: string;
    durationMs: number;
    reason?: string;
    createdBy: string;
    channelId?: string;
  }): Promise<{ silence: Silence; applied: StoredAlert[] }> {
    const result = await this.silences.add(input);
    for (const a of result.applied) await this.refresh(a.messageId, a.channelId);
    return result;
  }

  activeSilences(): Promise<Silence[]> {
    return this.silenceRepo.active();
  }

  /** Ends a silence now and reports it like an expiry; undefined when there is no such active silence. */
  deliveryBacklog(): Promise<DeliveryBacklog> {
    return this.outbox.backlog();
  }

  async removeSilence(id: string, userId: string): Promise<Silence | undefined> {
    const removed = await this.silenceRepo.remove(id, userId);
    if (removed) await this.sweeper.endSilences();
    return removed;
  }

  /** Acknowledges one alert as its button does (a page's Acknowledge button in a DM uses this). */
  async acknowledgeAlert(alertId: string, userId: string): Promise<boolean> {
    const done = await this.repo.acknowledge(alertId, userId);
    if (!done) return false;
    await this.refresh(done.messageId, done.channelId);
    await this.deps.activity.record({
      channelId: done.channelId,
      kind: 'alert',
      actorId: userId,
      text: `acknowledged alert: ${done.title}`,
      detail: { alertId: done.id, key: done.key },
    });
    return true;
  }

  async close(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.outbox.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }
}
