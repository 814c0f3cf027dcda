import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import type { DeliveryBacklog } from '../src/core/alert-delivery.js';
import { section } from './blocks.js';
import type { Reply } from './reply.js';

// The Slack outbox's backlog, shown under /ops jobs: what is still to be delivered while Slack is down,
// slow or throttling. Nothing waiting is one quiet line; a backlog says how much, how old, and what failed.

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function outboxBacklogLine(backlog: DeliveryBacklog | { unavailable: string }, now: Date): string {
  if ('unavailable' in backlog) return `:grey_question: *Slack outbox:* unknown (${backlog.unavailable})`;
  const { pending, retrying, failed, unsyncedMessages, oldestQueuedAt } = backlog;
  const failedPart = failed ? `; :x: ${plural(failed, 'delivery', 'deliveries')} gave up (see the logs)` : '';
  if (pending + retrying + unsyncedMessages === 0) return `:outbox_tray: *Slack outbox:* nothing waiting${failedPart}`;
  const parts = [
    pending ? `${plural(pending, 'delivery', 'deliveries')} waiting` : undefined,
    retrying ? `${retrying} retrying after Slack refused or throttled` : undefined,
    unsyncedMessages ? `${plural(unsyncedMessages, 'alert message')} not yet updated` : undefined,
  ].filter(Boolean);
  const age = oldestQueuedAt ? ` (oldest queued ${formatDistanceStrict(oldestQueuedAt, now)} ago)` : '';
  return `:hourglass_flowing_sand: *Slack outbox:* ${parts.join(', ')}${age}${failedPart}`;
}

/** Appends the outbox line to a reply (the job list), so one message shows both. */
export function withOutboxBacklog(reply: Reply, backlog: DeliveryBacklog | { unavailable: string }, now: Date): Reply {
  const line = outboxBacklogLine(backlog, now);
  const warn = !('unavailable' in backlog) && (backlog.retrying > 0 || backlog.failed > 0);
  return {
    ...reply,
    tone: warn && reply.tone === 'ok' ? 'warning' : reply.tone,
    text: `${reply.text}. ${line.replace(/:[a-z_]+: /g, '').replace(/\*/g, '')}`,
    blocks: [...reply.blocks, section(line)],
  };
}
