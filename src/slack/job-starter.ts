import type { CommandContext } from '../core/context.js';
import type { JobRequest } from '../core/command.js';
import type { JobCatalog, JobMeta, JobScheduling } from '../core/job.js';
import type { JobLauncher } from '../core/runner.js';
import type { Reply } from '../core/reply.js';
import { renderJobQueued } from '../../views/jobs.js';
import { section } from '../../views/blocks.js';
import { slackErrorCode, type SlackMessenger } from './messenger.js';

/**
 * Starts a job asked for in Slack: posts its progress message first (so the
 * worker has something to update from its first step), then enqueues it.
 * Returns the job id, and a note for the requester when the channel could not be used.
 */
export class JobStarter implements JobLauncher {
  constructor(
    private readonly queue: JobScheduling,
    private readonly catalog: JobCatalog,
    private readonly messenger: SlackMessenger,
  ) {}

  async start(request: JobRequest, ctx: CommandContext): Promise<{ jobId: string; note?: Reply }> {
    const meta: JobMeta = {
      title: request.job.title,
      requestedBy: ctx.actor.id,
      env: ctx.envName,
      commandText: ctx.text,
    };
    let problem: string | undefined;
    if (ctx.channelId) {
      try {
        meta.message = await this.messenger.postJoining(
          ctx.channelId,
          renderJobQueued(meta.title, ctx.actor.id, ctx.envName),
        );
      } catch (err) {
        problem = slackErrorCode(err) ?? (err as Error).message;
        ctx.log.warn({ err }, 'could not post the job message; the job runs without live progress');
      }
    }
    const definition = this.catalog.job(request.job.name);
    const job = await this.queue.enqueue(
      request.job.name,
      { data: request.job.data, meta },
      { idempotent: definition?.idempotent },
    );
    const jobId = String(job.id);
    if (!problem) return { jobId };
    const text = `Queued *${request.job.title}* as job \`${job.id}\`, but I cannot post its progress here (${problem}). Invite me with \`/invite @opsbot\`, and follow it with \`/ops jobs\`.`;
    return {
      jobId,
      note: { text, ephemeral: true, tone: 'warning', blocks: [section(`:hourglass_flowing_sand: ${text}`)] },
    };
  }
}
