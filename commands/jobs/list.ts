import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import type { DeliveryBacklog } from '../../src/core/alert-delivery.js';
import type { CommandContext } from '../../src/core/context.js';
import { withTimeout } from '../../src/errors.js';
import { renderJobList } from '../../views/jobs.js';
import { withOutboxBacklog } from '../../views/outbox-backlog.js';

export const jobsList = defineCommand({
  name: 'jobs',
  summary: 'Running, queued and recently failed jobs, with progress, and the Slack outbox backlog',
  usage: '',
  examples: ['jobs'],
  risk: 'read',
  env: false,
  args: z.object({}),
  async run(ctx) {
    const now = ctx.services.clock();
    const [list, backlog] = await Promise.all([ctx.services.jobs.list(now), outboxBacklog(ctx)]);
    return withOutboxBacklog(renderJobList({ ...list, now }), backlog, now);
  },
});

/** The outbox's backlog, bounded: a slow Redis or Postgres makes it "unknown", never a hung command. */
function outboxBacklog(ctx: CommandContext): Promise<DeliveryBacklog | { unavailable: string }> {
  return withTimeout('the outbox backlog', 2000, () => ctx.services.alerts.deliveryBacklog()).catch((err: Error) => ({
    unavailable: err.message,
  }));
}
