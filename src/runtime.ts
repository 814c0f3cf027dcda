import type { Redis } from 'ioredis';
import type { Services } from './core/services.js';
import { AccessPolicy } from './access/policy.js';
import { ApprovalService } from './access/approvals.js';
import { ApprovalRepository } from './store/approvals.js';
import { SlackUserDirectory } from './access/user-directory.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { JobQueue } from './jobs/queue.js';
import { startWorker, type RunningWorker, type WorkerDeps } from './jobs/worker.js';
import { createProbes, type Probes } from './probes/index.js';
import { Dispatcher } from './router/dispatcher.js';
import { JobStarter } from './slack/job-starter.js';
import type { AlertOutbox } from './slack/alert-outbox.js';
import { alertOutboxFactory } from './runtime/alert-outbox.js';
import { SlackIncidentChannels } from './slack/incident-channels.js';
import { DeferredCommandRunner } from './core/runner.js';
import { helpCatalog } from './router/help-entries.js';
import { SlackMessenger } from './slack/messenger.js';
import { CommandRegistry } from './router/registry.js';
import type { SpoolingAuditTrail } from './store/audit-spool.js';
import { openAuditTrail } from './runtime/audit.js';
import { StoreHealth } from './store/store-health.js';
import { ActivityLog } from './activity.js';
import { buildIncidents } from './incidents/build.js';
import { incidentShortcuts } from './incidents/shortcuts.js';
import type { Feature } from './core/feature.js';
import { AwsClientFactory } from './aws/clients.js';
import { DockerEngines } from './docker/access.js';
import { Pm2Daemons } from './pm2/access.js';
import { backupScheduleFeature } from './backup/schedule.js';
import { TargetDatabases } from './probes/target-postgres.js';
import { migrate } from './store/migrate.js';
import { connectWhatYouCan, openRedis, untilReady } from './runtime/connect.js';
import { dbSizeFeature } from './runtime/db-size-feature.js';
import { alertPaging, incidentPaging, subjectCallbacks } from './runtime/paging.js';
import { buildSlackApp } from './runtime/slack.js';
import { closeInOrder } from './runtime/close.js';
import { optionalFeatures } from './runtime/features.js';
import type { SlackApp } from './slack/app.js';
import { createPool, type Pool } from './store/pool.js';
import { ChecklistService } from './checklists/service.js';
import { ChecklistRepository } from './store/checklists.js';
import { BackupVerificationRepository } from './store/backup-verifications.js';
import { DrTestRepository } from './store/dr-tests.js';
import { DbSizeHistoryRepository } from './store/db-size-history.js';
import { commands as allCommands } from '../commands/index.js';
import { AlertService } from './alerts/service.js';
import { buildOncall } from './oncall/build.js';
import type { RuntimeOptions } from './runtime/options.js';

export type { RuntimeOptions } from './runtime/options.js';

/** Every long-lived dependency of one opsbot process, built once and closed together. */
export class Runtime {
  readonly pool: Pool;
  /** Commands, caches and delivery ids: fails fast instead of queueing while Redis is away. */
  readonly redis: Redis;
  /** BullMQ wants its own connection with unlimited retries. */
  readonly bullConnection: Redis;
  readonly registry: CommandRegistry;
  readonly jobs: JobQueue;
  readonly metrics: Metrics;
  readonly messenger?: SlackMessenger;
  readonly services: Services;
  readonly dispatcher: Dispatcher;
  readonly approvals: ApprovalService;
  readonly alerts: AlertService;
  readonly jobStarter?: JobStarter;
  /** The Slack outbox for alert messages (built by the alert service through its delivery factory). */
  outbox!: AlertOutbox;
  readonly aws: AwsClientFactory;
  readonly targets: TargetDatabases;
  readonly probes: Probes;
  readonly features: Feature[];
  /** Probes the bot's Postgres on a connection of its own; /readyz and the dispatcher read it. */
  readonly storeHealth: StoreHealth;
  /** Audit writes bounded in time; rows Postgres did not take are spooled and written later. */
  readonly audit: SpoolingAuditTrail;
  private worker?: RunningWorker;
  private slackApp?: SlackApp;

  constructor(readonly options: RuntimeOptions) {
    const { env, config, log } = options;
    this.pool = createPool(env.databaseUrl, { max: 10 });
    ({ redis: this.redis, bullConnection: this.bullConnection } = openRedis(env, log));
    this.registry = new CommandRegistry(options.commands ?? allCommands);
    this.jobs = new JobQueue(this.bullConnection, env.redisPrefix);
    this.metrics = createMetrics(
      () => [this.jobs.queue, this.alerts.queue, this.outbox.queue],
      () => this.outbox.backlog(),
    );
    if (options.slack !== false) this.messenger = SlackMessenger.create(env.slackBotToken, env.slackApiUrl, log);
    const messenger = this.messenger;
    const clock = options.clock ?? (() => new Date());
    const directory = messenger ? new SlackUserDirectory(messenger.client, this.redis, env.redisPrefix) : undefined;
    const access = new AccessPolicy(config, directory);
    this.storeHealth = new StoreHealth(env.databaseUrl);
    const audit = openAuditTrail(env, this.pool, log);
    this.audit = audit;
    this.jobStarter = messenger ? new JobStarter(this.jobs, this.registry, messenger) : undefined;
    const activity = new ActivityLog(log);
    // Approvals and checklists run commands through the router, which needs them: they get this runner,
    // bound to the dispatcher below once it exists.
    const runner = new DeferredCommandRunner();
    this.approvals = new ApprovalService({
      config,
      repo: new ApprovalRepository(this.pool),
      access,
      audit,
      jobs: this.jobs,
      runner,
      messenger,
      jobStarter: this.jobStarter,
      activity,
      log,
    });
    const checklists = new ChecklistService({
      config,
      repo: new ChecklistRepository(this.pool),
      jobs: this.jobs,
      runner,
      messenger,
      jobStarter: this.jobStarter,
      log: log.child({ component: 'checklists' }),
      clock,
    });
    // On-call comes before incidents and alerts, which page through it; acknowledging from a page's DM
    // reaches back to them, bound once they exist.
    const oncall = buildOncall({
      config,
      pool: this.pool,
      redis: this.redis,
      prefix: env.redisPrefix,
      jobs: this.jobs,
      chat: messenger,
      workspace: messenger,
      activity,
      roles: (name) => (config.access.roles[name] ? access.roleUsers([name]) : undefined),
      approves: async (userId, roles) => roles.length === 0 || (await access.membership(userId, roles)).member,
      ...subjectCallbacks(() => ({ alerts: this.alerts, incidents: incidents.service })),
      pagers: options.pagers,
      log,
      clock,
    });
    const paging = config.oncall ? oncall.paging : undefined;
    const incidents = buildIncidents({
      config,
      pool: this.pool,
      jobs: this.jobs,
      channels: messenger ? new SlackIncidentChannels(messenger, log.child({ component: 'incidents' })) : undefined,
      directory,
      activity,
      log,
      clock,
    });
    this.aws = new AwsClientFactory();
    this.targets = new TargetDatabases(config);
    const alertLog = log.child({ component: 'alerts' });
    this.probes = options.probes ?? createProbes();
    this.alerts = new AlertService({
      config,
      pool: this.pool,
      redis: this.redis,
      connection: this.bullConnection,
      prefix: env.redisPrefix,
      delivery: alertOutboxFactory(
        {
          config,
          connection: this.bullConnection,
          redis: this.redis,
          prefix: env.redisPrefix,
          messenger,
          log: alertLog,
        },
        (outbox) => (this.outbox = outbox),
      ),
      incidents: incidents.service,
      access,
      aws: this.aws,
      activity,
      log,
      hooks: options.alertHooks,
      paging: paging && alertPaging(paging),
      probes: this.probes,
    });
    if (paging) incidents.service.paging = incidentPaging(paging);
    this.services = {
      audit,
      jobs: this.jobs,
      probes: this.probes,
      help: helpCatalog(this.registry, access),
      access,
      approvals: options.approvals ?? this.approvals,
      aws: this.aws,
      targets: this.targets,
      docker: new DockerEngines(),
      pm2: new Pm2Daemons(),
      activity,
      incidents: incidents.service,
      checklists,
      backupVerifications: new BackupVerificationRepository(this.pool),
      drTests: new DrTestRepository(this.pool),
      dbSizes: new DbSizeHistoryRepository(this.pool),
      alerts: this.alerts,
      oncall: oncall.service,
      clock,
    };
    this.dispatcher = new Dispatcher(config, this.registry, this.services, this.metrics, this.storeHealth);
    runner.bind(this.dispatcher);
    // Capabilities beyond plain commands. Add a feature here; its jobs, buttons, modals, events and routes are wired below.
    this.features = [
      this.approvals.feature(),
      checklists.feature(),
      incidents.feature,
      incidentShortcuts(incidents.service, config, access),
      this.alerts.feature(),
      backupScheduleFeature(this.jobs, config, log.child({ component: 'backups' })),
      oncall.feature,
      dbSizeFeature(this.jobs, config),
      ...optionalFeatures({
        env,
        config,
        jobs: this.jobs,
        messenger,
        aws: this.aws,
        incidents: incidents.service,
        alertRepo: this.alerts.repo,
        clock,
        log,
      }),
    ];
    for (const job of this.features.flatMap((f) => f.jobs ?? [])) this.registry.addJob(job);
  }

  /** Connects Redis and applies migrations; fails with the reason when either is unreachable. */
  async prepare({ runMigrations = true } = {}): Promise<void> {
    await Promise.all([this.redis.connect(), untilReady(this.bullConnection)]);
    if (runMigrations) await migrate(this.options.env.databaseUrl, this.options.log);
  }

  /**
   * For the terminal (the fallback when Slack or opsbot's own services are down): connects what it can and
   * returns what could not be reached, each naming the variable to set, instead of failing. `help`,
   * `check-config` and commands that need no state still run; the rest say what is missing.
   */
  async prepareWhatYouCan(): Promise<string[]> {
    return connectWhatYouCan(this.redis, this.options.env, this.options.log);
  }

  async startWorker(
    opts: Pick<WorkerDeps, 'concurrency' | 'progressIntervalMs' | 'lockDurationMs' | 'stalledIntervalMs'> = {},
  ): Promise<RunningWorker> {
    this.worker = await startWorker({
      connection: this.bullConnection,
      prefix: this.options.env.redisPrefix,
      registry: this.registry,
      services: this.services,
      config: this.options.config,
      log: this.options.log.child({ component: 'worker' }),
      messenger: this.messenger,
      ...opts,
    });
    for (const feature of this.features) await feature.startWorkers?.();
    return this.worker;
  }

  /** Starts the Bolt app with /healthz, /readyz and /metrics beside /slack/events; returns the bound port. */
  async startSlack(): Promise<number> {
    if (!this.messenger) throw new Error('startSlack needs a Slack bot token');
    this.storeHealth.start();
    this.slackApp = buildSlackApp({
      env: this.options.env,
      messenger: this.messenger,
      dispatcher: this.dispatcher,
      jobStarter: this.jobStarter!,
      features: this.features,
      metrics: this.metrics,
      storeHealth: this.storeHealth,
      redis: this.redis,
      pool: this.pool,
      log: this.options.log,
    });
    return this.slackApp.start();
  }

  /** Stops taking work, lets what runs finish (within `graceMs` on SIGTERM), then closes connections. */
  async close({ graceMs }: { graceMs?: number } = {}): Promise<void> {
    // The fields close() needs are this runtime's own; the two private ones are named to pass TypeScript.
    await closeInOrder({ ...this, slackApp: this.slackApp, worker: this.worker, log: this.options.log }, graceMs);
  }
}
