import { QueueEvents } from 'bullmq';
import { userInfo } from 'node:os';
import type { Runtime } from '../runtime.js';
import { QUEUE_NAME } from '../jobs/queue.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { progressBar } from '../../views/progress.js';
import type { Reply } from '../core/reply.js';

export interface RunOptions {
  as?: string;
  json?: boolean;
  yes?: boolean;
}

/**
 * `opsbot run "<command>"`: the same router, access rules and audit as Slack,
 * printed to the terminal. Jobs are followed to the end here, with a worker
 * started in this process when no other worker is running.
 */
export async function runCommandInTerminal(
  runtime: Runtime,
  text: string,
  opts: RunOptions,
  out: NodeJS.WritableStream,
): Promise<number> {
  const actor = opts.as ? { id: opts.as } : { id: `cli:${userInfo().username}`, name: userInfo().username };
  const log = runtime.options.log.child({ source: 'cli' });
  const result = await runtime.dispatcher.dispatch({ text, actor, source: 'cli', confirmed: opts.yes, log });
  if (result.kind === 'reply') {
    print(result.reply, opts, out);
    return result.reply.tone === 'danger' || (result.reply.ephemeral && result.reply.tone === 'warning') ? 1 : 0;
  }

  const definition = runtime.registry.job(result.request.job.name);
  const events = new QueueEvents(QUEUE_NAME, {
    connection: runtime.bullConnection.duplicate(),
    prefix: runtime.options.env.redisPrefix,
  });
  await events.waitUntilReady();
  if ((await runtime.jobs.queue.getWorkersCount()) === 0) await runtime.startWorker({ concurrency: 1 });
  const job = await runtime.jobs.enqueue(
    result.request.job.name,
    {
      data: result.request.job.data,
      meta: { title: result.request.job.title, requestedBy: actor.id, env: result.ctx.envName, commandText: text },
    },
    { idempotent: definition?.idempotent },
  );
  if (!opts.json) out.write(`${result.request.job.title}: queued as job ${job.id}\n`);
  events.on('progress', ({ jobId, data }) => {
    if (jobId !== job.id || opts.json) return;
    const p = data as { percent?: number; note?: string };
    out.write(`  ${progressBar(p.percent ?? 0, 20)}${p.note ? `  ${p.note}` : ''}\n`);
  });
  try {
    const value = (await job.waitUntilFinished(events)) as { text: string; blocks: Reply['blocks'] };
    print({ text: value.text, blocks: value.blocks }, opts, out);
    return 0;
  } catch (err) {
    out.write(`${result.request.job.title} failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await events.close();
  }
}

function print(reply: Reply, opts: RunOptions, out: NodeJS.WritableStream): void {
  out.write(
    opts.json
      ? `${JSON.stringify({ text: reply.text, tone: reply.tone, blocks: reply.blocks }, null, 2)}\n`
      : `${renderReplyAsText(reply)}\n`,
  );
}
