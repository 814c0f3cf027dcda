import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { defineJob } from '../../src/core/job.js';
import { UserError } from '../../src/errors.js';
import {
  planReindex,
  resolveReindexTarget,
  runReindex,
  type ReindexPlan,
} from '../../src/probes/pg-diagnostics/reindex.js';
import { reindexJobTitle, renderReindexDone } from '../../views/db-reindex.js';

/** Job data: the typed name and the choice; the target is looked up again when the job starts. */
interface ReindexJobData {
  env: string;
  target: string;
  blocking: boolean;
}

export const dbReindexJob = defineJob<ReindexJobData>({
  name: 'db.reindex',
  timeoutMs: 4 * 60 * 60_000,
  // Rebuilding twice is harmless, but a retry after a cancel would surprise: attempted once.
  async run(ctx, data) {
    if (!ctx.config.environments[data.env]) throw new UserError(`Environment \`${data.env}\` is no longer configured.`);
    const targets = ctx.services.targets;
    const target = await targets.readOnly(data.env, (db) => resolveReindexTarget(db, data.target));
    const plan = planReindex(target, data.env, data.blocking);
    const report = await runReindex(targets, data.env, plan, { signal: ctx.signal, progress: ctx.progress });
    return renderReindexDone(data.env, plan, report);
  },
});

const args = z.object({
  target: z.string({ error: 'is required: a table, an index, or `database` (with --blocking)' }).min(1),
  blocking: z.boolean().default(false),
});

/** The plan of this request, as the approval card and the run both see it. */
async function plan(ctx: CommandContext, { target, blocking }: z.output<typeof args>): Promise<ReindexPlan> {
  const resolved = await ctx.db().readOnly((db) => resolveReindexTarget(db, target));
  return planReindex(resolved, ctx.envName, blocking);
}

export const dbReindex = defineCommand({
  name: 'db reindex',
  summary: 'REINDEX CONCURRENTLY a table or index as a cancellable job; --blocking (approved) for plain REINDEX',
  usage: '[env] <table|index|database> [--blocking]',
  examples: ['db reindex prod orders', 'db reindex prod orders_customer_idx', 'db reindex prod database --blocking'],
  risk: 'write',
  positionals: ['target'],
  args,
  jobs: [dbReindexJob],
  // Only the blocking form takes locks that stop the application: that one goes through the approval gate.
  async needsApproval(_ctx, { blocking }) {
    return blocking;
  },
  async describeEffect(ctx, a) {
    return (await plan(ctx, a)).effect;
  },
  async run(ctx, a) {
    // Checked now, so a typo or a refused REINDEX DATABASE is answered at once instead of by a failed job.
    const p = await plan(ctx, a);
    const data: ReindexJobData = { env: ctx.envName, target: a.target, blocking: a.blocking };
    return { job: { name: dbReindexJob.name, data: { ...data }, title: reindexJobTitle(ctx.envName, p) } };
  },
});
