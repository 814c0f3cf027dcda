import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import type { Plan } from '../src/core/plan.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../src/errors.js';
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

/** The plan's data: a read (no days), or the days and the groups that change, each with its retention then. */
export interface RetentionPlanData {
  env: string;
  days?: number;
  changes?: RetentionChange[];
}

const show = (days?: number) => (days === undefined ? 'never expires' : `${days}d`);

export const logsRetentionJob = definePlannedJob<RetentionJobData>({
  name: 'logs.retention',
  timeoutMs: 5 * 60_000,
  // PutRetentionPolicy sets a value: running it twice leaves the same state.
  idempotent: true,
  async run(ctx, data) {
    const clients = ctx.services.aws.forEnv(configuredEnv(ctx.config.environments, data.env));
    // Someone may have set a retention while this waited for approval: then the change is not the one approved.
    const now = await describeRetention(
      pollSession(clients),
      data.changes.map((c) => c.group),
    );
    const moved = data.changes.filter((c) => {
      const live = now.find((g) => g.group === c.group);
      return !live || live.missing || live.retentionDays !== c.from;
    });
    requireUnchanged(
      moved.length === 0,
      `The retention of ${moved
        .map((c) => {
          const live = now.find((g) => g.group === c.group);
          return `${c.group} is now ${live && !live.missing ? show(live.retentionDays) : 'gone'}, not ${show(c.from)}`;
        })
        .join('; ')} as when this was approved; nothing was changed.`,
      `Look with \`/ops logs retention ${data.env}\`, then ask again with \`/ops logs retention ${data.env} ${data.days}\`.`,
    );
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

async function planRetention(ctx: CommandContext, days: number | undefined): Promise<Plan<RetentionPlanData>> {
  const changes = await retentionPlan(ctx, days);
  const base = {
    command: 'logs retention',
    env: ctx.envName,
    args: { days },
    plannedAt: ctx.services.clock().toISOString(),
  };
  if (days === undefined || changes === undefined)
    return {
      ...base,
      summary: `Show the log retention of ${ctx.envName}`,
      effects: ['Nothing changes.'],
      targets: [],
      preconditions: [],
      data: { env: ctx.envName },
    };
  return {
    ...base,
    summary: `Set log retention to ${days} days in ${ctx.envName}`,
    effects: changes.length ? [retentionEffect(ctx.envName, changes, days)] : ['Nothing changes.'],
    targets: changes.map((c) => ({ kind: 'log-group', id: c.group, detail: `${show(c.from)} → ${days}d` })),
    preconditions: changes.map((c) => ({
      what: `${c.group} keeps (days; null: never expires)`,
      expected: c.from ?? null,
    })),
    data: { env: ctx.envName, days, changes },
  };
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
  plan: (ctx, { days }) => planRetention(ctx, days),
  // A request that changes nothing needs no approver: it just says so.
  needsApproval: ({ data }) => data.days !== undefined && (data.changes?.length ?? 0) > 0,
  async execute(ctx, { data }) {
    const { days, changes } = data;
    if (days === undefined || changes === undefined) {
      const s = ctx.aws();
      const groups = await describeRetention(s, groupsOf(ctx));
      return renderRetention({ env: ctx.envName, groups, checkedAt: ctx.services.clock(), notes: s.notes });
    }
    if (changes.length === 0) {
      const text = `${data.env}: every log group already keeps ${days} days; nothing to change`;
      return { text, tone: 'muted', blocks: [section(text)] };
    }
    const job: RetentionJobData = { env: data.env, days, changes };
    return {
      job: {
        name: logsRetentionJob.name,
        data: { ...job },
        title: `Set log retention to ${days} days in ${data.env}`,
      },
    };
  },
});
