import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { ErrorCode } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { SlackMessenger } from './messenger.js';
import { slackErrorCode } from './messenger.js';
import { toSlackMessage } from './render.js';
import type { AlertMessage, AlertRepository } from '../store/alerts.js';
import type { Reply } from '../core/reply.js';
import type { AlertDelivery, DeliveryBacklog } from '../core/alert-delivery.js';
import { alertMessageMetadata, findEarlierPost } from './alert-post-recovery.js';

export const OUTBOX_QUEUE = 'ops-outbox';

export type OutboxJob =
  | { kind: 'sync'; messageId: string; channel: string }
  | { kind: 'post'; channel: string; reply: Reply; threadOfMessageId?: string };

/** Errors that another attempt cannot fix: the message is dropped and logged. */
const PERMANENT = new Set([
  'channel_not_found',
  'is_archived',
  'invalid_blocks',
  'msg_too_long',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'no_permission',
  'restricted_action',
  'missing_scope',
]);

export interface OutboxDeps {
  connection: Redis;
  redis: Redis;
  prefix: string;
  messenger?: SlackMessenger;
  repo: AlertRepository;
  /** Per-channel pace: how long to wait before the next post (0: go), and a pause after a 429. */
  pacer: {
    take(channel: string): Promise<number>;
    refund(channel: string): Promise<void>;
    pause(channel: string, ms: number): Promise<void>;
  };
  /** The current state of an alert message as a Reply (rendered when sent, so queued changes coalesce). */
  render(message: AlertMessage): Promise<Reply | undefined>;
  log: Logger;
  concurrency?: number;
}

async function delay(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(50, Math.round(ms)), token);
  throw new DelayedError();
}

/**
 * Every alert post goes through here: per-channel pacing (Redis token bucket,
 * delayed re-queue), one writer per alert message at a time (Redis lock) that
 * renders the newest state, Retry-After honoured on 429, backoff on 5xx and
 * network errors. Jobs live in Redis and the state in Postgres, so a restart loses nothing.
 */
export class AlertOutbox implements AlertDelivery {
  readonly queue: Queue<OutboxJob>;
  private worker?: Worker<OutboxJob>;

  constructor(private readonly deps: OutboxDeps) {
    this.queue = new Queue<OutboxJob>(OUTBOX_QUEUE, {
      connection: deps.connection,
      prefix: deps.prefix,
      defaultJobOptions: {
        attempts: 12,
        // Jitter (each wait 50–100 % of the doubling delay): after an outage the retries of many messages spread out instead of arriving together.
        backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
        removeOnComplete: { age: 3600, count: 2000 },
        removeOnFail: { age: 7 * 86_400 },
      },
    });
  }

  private flagKey(messageId: string): string {
    return `${this.deps.prefix}:outbox:pending:${messageId}`;
  }

  /** Asks for the message to be rendered and sent; while one request waits, further ones fold into it. */
  async requestSync(messageId: string, channel: string): Promise<void> {
    const fresh = await this.deps.redis.set(this.flagKey(messageId), '1', 'EX', 600, 'NX');
    if (!fresh) return;
    await this.queue.add('sync', { kind: 'sync', messageId, channel });
  }

  async post(channel: string, reply: Reply, threadOfMessageId?: string): Promise<void> {
    await this.queue.add('post', { kind: 'post', channel, reply, threadOfMessageId });
  }

  /** After a restart: any message whose last change was not sent gets a fresh request. */
  async reconcile(): Promise<number> {
    const stale = await this.deps.repo.unsyncedMessages();
    for (const m of stale) {
      await this.deps.redis.del(this.flagKey(m.id));
      await this.requestSync(m.id, m.channelId);
    }
    return stale.length;
  }

  async backlog(): Promise<DeliveryBacklog> {
    const [counts, oldestWaiting, oldestDelayed, unsyncedMessages] = await Promise.all([
      this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
      this.queue.getWaiting(0, 0),
      this.queue.getDelayed(0, 0),
      this.deps.repo.unsyncedCount(),
    ]);
    const queued = [...oldestWaiting, ...oldestDelayed].map((j) => j.timestamp).filter((t) => t > 0);
    return {
      pending: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0),
      retrying: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      unsyncedMessages,
      oldestQueuedAt: queued.length ? new Date(Math.min(...queued)) : undefined,
    };
  }

  start(): void {
    if (this.worker) return;
    this.worker = new Worker<OutboxJob>(OUTBOX_QUEUE, (job, token) => this.process(job, token), {
      connection: this.deps.connection,
      prefix: this.deps.prefix,
      concurrency: this.deps.concurrency ?? 8,
      // Short jobs: a killed worker's jobs come back in ~15 s, not a minute (see QUICK_STALL_DETECTION in alerts).
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 2,
    });
    this.worker.on('error', (err) => this.deps.log.error({ err }, 'outbox worker error'));
    this.worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
        this.deps.log.error(
          { err, job: job.data.kind, channel: job.data.channel },
          'alert message could not be delivered',
        );
    });
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  private async process(job: Job<OutboxJob>, token?: string): Promise<void> {
    const { messenger, pacer, log } = this.deps;
    if (!messenger) throw new UnrecoverableError('no Slack client in this process');
    const channel = job.data.channel;
    const wait = await pacer.take(channel);
    if (wait > 0) return delay(job, token, wait + Math.random() * 100);
    try {
      if (job.data.kind === 'sync') await this.sync(job as Job<Extract<OutboxJob, { kind: 'sync' }>>, token);
      else await this.postNow(job as Job<Extract<OutboxJob, { kind: 'post' }>>, token);
    } catch (err) {
      if (err instanceof DelayedError || err instanceof UnrecoverableError) throw err;
      const e = err as { code?: string; retryAfter?: number };
      if (e.code === ErrorCode.RateLimitedError) {
        const ms = (e.retryAfter ?? 1) * 1000;
        log.warn({ channel, retryAfter: e.retryAfter }, 'slack rate limited the alert channel; pausing it');
        await pacer.pause(channel, ms);
        return delay(job, token, ms);
      }
      const code = slackErrorCode(err);
      if (code === 'not_in_channel') {
        await messenger.client.conversations
          .join({ channel })
          .catch((joinErr) => log.warn({ err: joinErr, channel }, 'could not join the alert channel'));
        throw err;
      }
      if (code && PERMANENT.has(code)) {
        log.error(
          { channel, error: code },
          'Slack refused an alert message; check the route channel and the bot scopes',
        );
        throw new UnrecoverableError(code);
      }
      throw err;
    }
  }

  private async sync(job: Job<Extract<OutboxJob, { kind: 'sync' }>>, token?: string): Promise<void> {
    const { redis, repo, pacer, prefix, messenger } = this.deps;
    const { messageId, channel } = job.data;
    const lockKey = `${prefix}:outbox:lock:${messageId}`;
    if (!(await redis.set(lockKey, String(job.id), 'PX', 30_000, 'NX'))) {
      await pacer.refund(channel);
      return delay(job, token, 200);
    }
    try {
      // Cleared before reading: a change after this point asks for a new sync; one before it is in what we read.
      await redis.del(this.flagKey(messageId));
      const message = await repo.message(messageId);
      if (!message || message.syncedVersion >= message.version) {
        await pacer.refund(channel);
        return;
      }
      const reply = await this.deps.render(message);
      if (!reply) return;
      const body = toSlackMessage(reply);
      if (!message.ts) {
        // An earlier attempt may have posted and died before storing the ts: adopt that post, edit it in place.
        const earlier = message.postStartedAt
          ? await findEarlierPost(
              messenger!.client,
              { channel, instance: prefix, messageId, since: message.postStartedAt },
              this.deps.log,
            )
          : undefined;
        if (earlier) {
          this.deps.log.info({ channel, messageId, ts: earlier }, 'adopted an alert post interrupted by a crash');
          await repo.setMessageTs(messageId, earlier);
          await messenger!.client.chat.update({ channel, ts: earlier, ...body });
        } else {
          await repo.markPostStarted(messageId);
          const res = await messenger!.client.chat.postMessage({
            channel,
            ...body,
            metadata: alertMessageMetadata(prefix, messageId),
          });
          await repo.setMessageTs(messageId, String(res.ts));
        }
      } else {
        await messenger!.client.chat.update({ channel, ts: message.ts, ...body });
      }
      await repo.markSynced(messageId, message.version);
    } finally {
      await redis.del(lockKey);
    }
  }

  private async postNow(job: Job<Extract<OutboxJob, { kind: 'post' }>>, token?: string): Promise<void> {
    const { channel, reply, threadOfMessageId } = job.data;
    let threadTs: string | undefined;
    if (threadOfMessageId) {
      const parent = await this.deps.repo.message(threadOfMessageId);
      threadTs = parent?.ts;
      // Wait for the parent to be posted, but not forever: after 10 minutes post on its own.
      if (parent && !threadTs && Date.now() - job.timestamp < 600_000) {
        await this.deps.pacer.refund(channel);
        return delay(job, token, 2000);
      }
    }
    await this.deps.messenger!.client.chat.postMessage({ channel, thread_ts: threadTs, ...toSlackMessage(reply) });
  }
}
