import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryBacklog } from '../core/alert-delivery.js';

export interface Metrics {
  registry: Registry;
  commands: Counter<'command' | 'outcome'>;
  commandSeconds: Histogram<'command'>;
}

/**
 * One registry per app instance (not prom-client's global), so tests can run
 * several apps in one process. Job counts are read from every queue at scrape time.
 */
export function createMetrics(queues?: () => Queue[], outboxBacklog?: () => Promise<DeliveryBacklog>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'opsbot_' });
  const commands = new Counter({
    name: 'opsbot_commands_total',
    help: 'Commands handled, by command name and outcome',
    labelNames: ['command', 'outcome'] as const,
    registers: [registry],
  });
  const commandSeconds = new Histogram({
    name: 'opsbot_command_duration_seconds',
    help: 'Time from receiving a command to its reply being ready',
    labelNames: ['command'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [registry],
  });
  if (queues) {
    new Gauge({
      name: 'opsbot_jobs',
      help: 'Jobs by queue (ops-jobs, ops-alerts, ops-outbox) and state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        try {
          for (const queue of queues()) {
            const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'failed', 'completed');
            for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
          }
        } catch {
          // Redis down: /readyz says so; the scrape still succeeds with the other metrics.
        }
      },
    });
  }
  if (outboxBacklog) {
    new Gauge({
      name: 'opsbot_outbox_oldest_seconds',
      help: 'Age of the oldest Slack delivery still waiting or retrying (0 when none)',
      registers: [registry],
      async collect() {
        try {
          const { oldestQueuedAt } = await outboxBacklog();
          this.set(oldestQueuedAt ? Math.max(0, (Date.now() - oldestQueuedAt.getTime()) / 1000) : 0);
        } catch {
          // Redis or Postgres down: /readyz says so; the scrape still succeeds with the other metrics.
        }
      },
    });
    new Gauge({
      name: 'opsbot_outbox_backlog',
      help: 'Slack outbox backlog: deliveries pending, retrying and failed, and alert messages not yet updated',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        try {
          const b = await outboxBacklog();
          this.set({ state: 'pending' }, b.pending);
          this.set({ state: 'retrying' }, b.retrying);
          this.set({ state: 'failed' }, b.failed);
          this.set({ state: 'unsynced_messages' }, b.unsyncedMessages);
        } catch {
          // Redis or Postgres down: /readyz says so; the scrape still succeeds with the other metrics.
        }
      },
    });
  }
  return { registry, commands, commandSeconds };
}
