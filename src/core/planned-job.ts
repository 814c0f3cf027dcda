import type { JobContext, JobDefinition } from './job.js';
import type { Reply } from './reply.js';

/** Job data of a job started from a plan: the plan's data, plus the approval it came from (set by the gate). */
export type PlannedJobData<D> = D & { approvalId?: string };

/**
 * A job that executes a frozen plan: its data is the plan's data, and its run
 * checks the plan's preconditions against live state before acting. When the
 * plan was approved, the outcome is reported back to the approval card.
 */
export function definePlannedJob<D>(definition: JobDefinition<PlannedJobData<D>>): JobDefinition<PlannedJobData<D>> {
  return {
    ...definition,
    async run(ctx: JobContext, data: PlannedJobData<D>): Promise<Reply> {
      const settle = data.approvalId ? ctx.services.approvals.settle?.bind(ctx.services.approvals) : undefined;
      let reply: Reply;
      try {
        reply = await definition.run(ctx, data);
      } catch (err) {
        const e = err as { name?: string; message?: string; hint?: string; planChanged?: boolean };
        // Only a UserError's words are meant for people; anything else is in the job's message and the logs.
        const said = e.name === 'UserError' ? [e.message, e.hint].filter(Boolean).join(' ') : undefined;
        await settle?.(data.approvalId!, {
          ok: false,
          text: said ?? 'failed unexpectedly; the job message and the logs have the details',
          planChanged: e.planChanged === true,
        }).catch((settleErr: unknown) =>
          ctx.log.warn({ err: settleErr }, 'could not report the outcome to the approval'),
        );
        throw err;
      }
      await settle?.(data.approvalId!, { ok: true, text: reply.text }).catch((err: unknown) =>
        ctx.log.warn({ err }, 'could not report the outcome to the approval'),
      );
      return reply;
    },
  };
}
