import { Redis } from 'ioredis';
import type { OpsConfig } from './config/schema.js';
import type { RuntimeEnv } from './config/runtime-env.js';
import type { Logger } from './log.js';
import type { CommandDefinition } from './core/command.js';
import type { Services } from './core/services.js';
import { AccessPolicy } from './access/policy.js';
import type { ApprovalGate } from './access/approval-gate.js';
import { ApprovalService } from './access/approvals.js';
import { ApprovalRepository } from './store/approvals.js';
import { SlackUserDirectory } from './access/user-directory.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { operationalRoutes } from './http/routes.js';
import { JobQueue } from './jobs/queue.js';
import { startWorker, type RunningWorker, type WorkerDeps } from './jobs/worker.js';
import { createProbes, type Probes } from './probes/index.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { DeliveryGuard } from './slack/delivery-guard.js';
import { Dispatcher } from './router/dispatcher.js';
import { JobStarter } from './slack/job-starter.js';
import { AlertOutbox } from './slack/alert-outbox.js';
import { SlackIncidentChannels } from './slack/incident-channels.js';
import { ChannelPacer } from './alerts/pacing.js';
import { DeferredCommandRunner } from './core/runner.js';
import { helpCatalog } from './router/help-entries.js';
import { SlackMessenger } from './slack/messenger.js';
import { CommandRegistry } from './router/registry.js';
import { AuditRepository } from './store/audit.js';
import { ActivityLog } from './activity.js';
import { buildIncidents } from './incidents/build.js';
import type { Feature } from './core/feature.js';
import { AwsClientFactory } from './aws/clients.js';
import { TargetDatabases } from './probes/target-postgres.js';
import { migrate } from './store/migrate.js';
import { createPool, type Pool } from './store/pool.js';
import { ChecklistService } from './checklists/service.js';
import { ChecklistRepository } from './store/checklists.js';
import { BackupVerificationRepository } from './store/backup-verifications.js';
import { commands as allCommands } from '../commands/index.js';
import { AlertService, type AlertHooks } from './alerts/service.js';

export interface RuntimeOptions {
  env: RuntimeEnv;
  config: OpsConfig;
  log: Logger;
  /** Tests pass their own command list or probes; production uses commands/index.ts and the real probes. */
  commands?: CommandDefinition[];
  probes?: Probes;
  approvals?: ApprovalGate;
  /** Tests swap the SNS certificate fetch and subscription confirmation. */
  alertHooks?: AlertHooks;
  /** False for terminal use without a bot token: no Slack client, no user-group lookups. */
  slack?: boolean;
  clock?: () => Date;
}

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
  private worker?: RunningWorker;
  private slackApp?: SlackApp;

  constructor(readonly options: RuntimeOptions) {
    const { env, config, log } = options;
    this.pool = createPool(env.databaseUrl, { max: 10 });
    this.redis = new Redis(env.redisUrl, {
      maxRetriesPerRequest: 1,
      connectTimeout: 3000,
      commandTimeout: 3000,
      lazyConnect: true,
    });
    this.redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
    this.bullConnection = new Redis(env.redisUrl, { maxRetriesPerRequest: null, connectTimeout: 3000 });
    this.bullConnection.on('error', (err) => log.warn({ err }, 'redis (jobs) connection error'));
    this.registry = new CommandRegistry(options.commands ?? allCommands);
    this.jobs = new JobQueue(this.bullConnection, env.redisPrefix);
    this.metrics = createMetrics(() => [this.jobs.queue, this.alerts.queue, this.outbox.queue]);
    if (options.slack !== false) this.messenger = SlackMessenger.create(env.slackBotToken, env.slackApiUrl, log);
    const messenger = this.messenger;
    const clock = options.clock ?? (() => new Date());
    const directory = messenger ? new SlackUserDirectory(messenger.client, this.redis, env.redisPrefix) : undefined;
    const access = new AccessPolicy(config, directory);
    const audit = new AuditRepository(this.pool);
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
      delivery: (parts) =>
        (this.outbox = new AlertOutbox({
          connection: this.bullConnection,
          redis: this.redis,
          prefix: env.redisPrefix,
          messenger,
          pacer: new ChannelPacer(this.redis, env.redisPrefix, config.alerts.delivery),
          log: alertLog,
          ...parts,
        })),
      incidents: incidents.service,
      access,
      aws: this.aws,
      activity,
      log,
      hooks: options.alertHooks,
      probes: this.probes,
    });
    this.services = {
      audit,
      jobs: this.jobs,
      probes: this.probes,
      help: helpCatalog(this.registry, access),
      access,
      approvals: options.approvals ?? this.approvals,
      aws: this.aws,
      targets: this.targets,
      activity,
      incidents: incidents.service,
      checklists,
      backupVerifications: new BackupVerificationRepository(this.pool),
      alerts: this.alerts,
      clock,
    };
    this.dispatcher = new Dispatcher(config, this.registry, this.services, this.metrics);
    runner.bind(this.dispatcher);
    // Capabilities beyond plain commands. Add a feature here; its jobs, buttons, modals, events and routes are wired below.
    this.features = [this.approvals.feature(), checklists.feature(), incidents.feature, this.alerts.feature()];
    for (const job of this.features.flatMap((f) => f.jobs ?? [])) this.registry.addJob(job);
  }

  /** Connects Redis and applies migrations; fails with the reason when either is unreachable. */
  async prepare({ runMigrations = true } = {}): Promise<void> {
    await Promise.all([this.redis.connect(), untilReady(this.bullConnection)]);
    if (runMigrations) await migrate(this.options.env.databaseUrl, this.options.log);
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
    const routes = [
      ...operationalRoutes(this.metrics, [
        { name: 'postgres', check: () => this.pool.query('SELECT 1') },
        { name: 'redis', check: () => this.redis.ping() },
      ]),
      ...this.features.flatMap((f) => f.routes ?? []),
    ];
    this.slackApp = createSlackApp({
      runtime: this.options.env,
      dispatcher: this.dispatcher,
      jobStarter: this.jobStarter!,
      listeners: {
        actions: this.features.flatMap((f) => f.actions ?? []),
        views: this.features.flatMap((f) => f.views ?? []),
        events: this.features.flatMap((f) => f.events ?? []),
      },
      messenger: this.messenger,
      guard: new DeliveryGuard(this.redis, this.options.env.redisPrefix),
      routes,
      log: this.options.log,
    });
    return this.slackApp.start();
  }

  /** Stops taking work first (Slack, then the worker finishes its current jobs), then closes connections. */
  async close(): Promise<void> {
    await this.slackApp?.stop().catch(() => undefined);
    await this.worker?.close().catch(() => undefined);
    await this.alerts.close();
    await this.jobs.close().catch(() => undefined);
    this.redis.disconnect();
    await this.bullConnection.quit().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    await this.targets.closeAll();
    this.probes.close?.();
    this.aws.destroy();
  }
}

/** BullMQ connects its connection on first use; wait for it so start-up fails loudly when Redis is down. */
async function untilReady(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis unreachable after ${timeoutMs / 1000}s`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
