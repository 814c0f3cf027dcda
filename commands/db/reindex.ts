import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import type { Plan } from '../../src/core/plan.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../../src/errors.js';
import {
  planReindex,
  resolveReindexTarget,
  runReindex,
  type ReindexTarget,
} from '../../src/probes/pg-diagnostics/reindex.js';
import { reindexJobTitle, renderReindexDone } from '../../views/db-reindex.js';

/** The plan's data and the job's: the typed name, the target it resolved to, and the choice. */
export interface ReindexJobData {
  env: string;
  target: string;
  blocking: boolean;
  /** What the name meant at request time; absent only in jobs queued before plans were frozen. */
  resolved?: ReindexTarget;
}

const sameTarget = (a: ReindexTarget, b: ReindexTarget) =>
  a.kind === b.kind && a.schema === b.schema && a.name === b.name;
const labelOf = (t: ReindexTarget) =>
  t.kind === 'database' ? `database ${t.name}` : `${t.kind} ${t.schema}.${t.name}`;

export const dbReindexJob = definePlannedJob<ReindexJobData>({
  name: 'db.reindex',
  timeoutMs: 4 * 60 * 60_000,
  // Rebuilding twice is harmless, but a retry after a cancel would surprise: attempted once.
  async run(ctx, data) {
    if (!ctx.config.environments[data.env]) throw new UserError(`Environment \`${data.env}\` is no longer configured.`);
    const targets = ctx.services.targets;
    const target = await targets.readOnly(data.env, (db) => resolveReindexTarget(db, data.target));
    // A table dropped and an index created under its name (or a search_path change) is not what was planned.
    if (data.resolved)
      requireUnchanged(
        sameTarget(target, data.resolved),
        `\`${data.target}\` is now the ${labelOf(target)}, not the ${labelOf(data.resolved)} it was when this was asked for; nothing was rebuilt.`,
        `Ask again with \`/ops db reindex ${data.env} ${data.target}${data.blocking ? ' --blocking' : ''}\`.`,
      );
    const plan = planReindex(target, data.env, data.blocking);
    const report = await runReindex(targets, data.env, plan, { signal: ctx.signal, progress: ctx.progress });
    return renderReindexDone(data.env, plan, report);
  },
});

const args = z.object({
  target: z.string({ error: 'is required: a table, an index, or `database` (with --blocking)' }).min(1),
  blocking: z.boolean().default(false),
});

export const dbReindex = defineCommand({
  name: 'db reindex',
  summary: 'REINDEX CONCURRENTLY a table or index as a cancellable job; --blocking (approved) for plain REINDEX',
  usage: '[env] <table|index|database> [--blocking]',
  examples: ['db reindex prod orders', 'db reindex prod orders_customer_idx', 'db reindex prod database --blocking'],
  risk: 'write',
  positionals: ['target'],
  args,
  jobs: [dbReindexJob],
  // Checked now, so a typo or a refused REINDEX DATABASE is answered at once instead of by a failed job.
  async plan(ctx, { target, blocking }): Promise<Plan<ReindexJobData>> {
    const resolved = await ctx.db().readOnly((db) => resolveReindexTarget(db, target));
    const p = planReindex(resolved, ctx.envName, blocking);
    return {
      command: 'db reindex',
      env: ctx.envName,
      args: { target, blocking },
      summary: reindexJobTitle(ctx.envName, p),
      effects: [p.effect],
      targets: [{ kind: `pg-${resolved.kind}`, id: labelOf(resolved).replace(/^\S+ /, ''), detail: p.sql }],
      preconditions: [{ what: `\`${target}\` names the`, expected: labelOf(resolved) }],
      data: { env: ctx.envName, target, blocking, resolved },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  // Only the blocking form takes locks that stop the application: that one goes through the approval gate.
  needsApproval: (plan) => plan.data.blocking,
  async execute(_ctx, { data }) {
    const p = planReindex(data.resolved!, data.env, data.blocking);
    return { job: { name: dbReindexJob.name, data: { ...data }, title: reindexJobTitle(data.env, p) } };
  },
});
