import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { defineJob } from '../src/core/job.js';
import { UserError } from '../src/errors.js';
import { describeRetention, putRetention, RETENTION_DAYS } from '../src/aws/log-retention.js';
import { pollSession } from '../src/aws/action-follow.js';
import { configuredEnv } from '../src/aws/action-target.js';
import { section } from '../views/blocks.js';
import { renderRetention, renderRetentionSet, retentionEffect } from '../views/log-retention.js';

interface RetentionChange {
  group: string;
  from?: number;
}
interface RetentionJobData {
  env: string;
  days: number;
  changes: RetentionChange[];
}

export const logsRetentionJob = defineJob<RetentionJobData>({
  name: 'logs.retention',
  timeoutMs: 5 * 60_000,
  // PutRetentionPolicy sets a value: running it twice leaves the same state.
  idempotent: true,
  async run(ctx, data) {
    const clients = ctx.services.aws.forEnv(configuredEnv(ctx.config.environments, data.env));
    for (const [i, change] of data.changes.entries()) {
      await ctx.progress(Math.round((i / data.changes.length) * 100), change.group);
      await putRetention(pollSession(clients), change.group, data.days);
    }
    return renderRetentionSet(data.env, data.changes, data.days);
  },
});

const args = z.object({ days: z.coerce.number().int().optional() });

function groupsOf(ctx: CommandContext): string[] {
  const groups = ctx.env.logs?.groups;
  if (!groups?.length)
    throw new UserError(
      `\`${ctx.envName}\` has no log groups configured.`,
      'Add `logs: { groups: ["/ecs/my-service"] }` to this environment in ops.yml.',
    );
  return groups;
}

/**
 * The one place that decides what a change does (kept apart so it converts to a frozen plan): the groups whose
 * retention differs from `days`, with their current value. Undefined for a read (no days given).
 */
async function retentionPlan(ctx: CommandContext, days: number | undefined): Promise<RetentionChange[] | undefined> {
  if (days === undefined) return undefined;
  if (!(RETENTION_DAYS as readonly number[]).includes(days))
    throw new UserError(
      `CloudWatch Logs cannot keep logs for ${days} days.`,
      `Use one of ${RETENTION_DAYS.slice(0, 12).join(', ')} … (the guides use 7, 30 and 90).`,
    );
  const current = await describeRetention(ctx.aws(), groupsOf(ctx));
  const missing = current.filter((g) => g.missing).map((g) => g.group);
  if (missing.length)
    throw new UserError(`No such log group: ${missing.join(', ')}.`, 'Fix `logs.groups` in ops.yml first.');
  return current.filter((g) => g.retentionDays !== days).map((g) => ({ group: g.group, from: g.retentionDays }));
}

export const logsRetention = defineCommand({
  name: 'logs retention',
  summary: "Each log group's retention against the guides' 7/30/90 days; with <days>, set it (needs approval)",
  usage: '[env] [days]',
  examples: ['logs retention', 'logs retention prod 30'],
  // Reading is harmless; setting deletes old events, so every change goes through the approval gate.
  risk: 'write',
  positionals: ['days'],
  args,
  jobs: [logsRetentionJob],
  async needsApproval(_ctx, { days }) {
    return days !== undefined;
  },
  async describeEffect(ctx, { days }) {
    const plan = await retentionPlan(ctx, days);
    return plan && days !== undefined ? retentionEffect(ctx.envName, plan, days) : 'Nothing changes.';
  },
  async run(ctx, { days }) {
    const plan = await retentionPlan(ctx, days);
    if (plan === undefined || days === undefined) {
      const s = ctx.aws();
      const groups = await describeRetention(s, groupsOf(ctx));
      return renderRetention({ env: ctx.envName, groups, checkedAt: ctx.services.clock(), notes: s.notes });
    }
    if (plan.length === 0) {
      const text = `${ctx.envName}: every log group already keeps ${days} days; nothing to change`;
      return { text, tone: 'muted', blocks: [section(text)] };
    }
    const data: RetentionJobData = { env: ctx.envName, days, changes: plan };
    return {
      job: {
        name: logsRetentionJob.name,
        data: { ...data },
        title: `Set log retention to ${days} days in ${ctx.envName}`,
      },
    };
  },
});
