import { z } from 'zod';
import { actionJob } from '../../src/aws/action-job.js';
import { requireRds } from '../../src/aws/action-target.js';
import {
  describeForChange,
  followModification,
  modifyInstanceClass,
  nextMaintenanceWindow,
} from '../../src/aws/rds-changes.js';
import { ACTION_HARD_LIMITS } from '../../src/config/schema.js';
import { defineCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import type { Plan } from '../../src/core/plan.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../../src/errors.js';
import { renderResizeDone, resizeEffect, type WindowView } from '../../views/db-rds-changes.js';

/** The plan's data and the job's: the instance with its class and status when asked, the class wanted, and when. */
export interface ResizeJobData {
  env: string;
  instance: string;
  from: string;
  status: string;
  to: string;
  now: boolean;
  window?: WindowView;
}

/** db.t3.small, db.m6g.large, db.r6gd.2xlarge, db.m5.metal… */
export const INSTANCE_CLASS = /^db\.[a-z]+\d+[a-z0-9-]*\.(nano|micro|small|medium|large|\d{0,2}xlarge|metal(-\d+xl)?)$/;

export const dbResizeJob = definePlannedJob<ResizeJobData>({
  name: 'db.resize',
  timeoutMs: ACTION_HARD_LIMITS.restore,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    const live = await describeForChange(step(), data.instance);
    const again = `Look with \`/ops status ${data.env}\`, then ask again with \`/ops db resize ${data.env} ${data.to}${data.now ? ' --now' : ''}\`.`;
    requireUnchanged(
      live.instanceClass === data.from,
      `\`${data.instance}\` is now ${live.instanceClass}, not ${data.from} as when the resize was approved; nothing was changed.`,
      again,
    );
    requireUnchanged(
      live.status === data.status,
      `\`${data.instance}\` is now ${live.status}, not ${data.status} as when the resize was approved; nothing was changed.`,
      again,
    );
    await ctx.progress(2, `ModifyDBInstance ${data.from} → ${data.to}${data.now ? ' (now)' : ' (maintenance window)'}`);
    await modifyInstanceClass(step(), data.instance, data.to, data.now);
    // Queued: done once RDS lists it as pending. Now: done once the instance is back, available, as the new class.
    const db = await followModification(
      clients,
      following(data.now ? timing.restoreTimeoutMs : timing.snapshotTimeoutMs),
      data.instance,
      data.now
        ? `\`${data.instance}\` to be available as ${data.to}`
        : `RDS to list ${data.to} as a pending modification of \`${data.instance}\``,
      (d) => (data.now ? d.status === 'available' && d.instanceClass === data.to : d.pending.instanceClass === data.to),
    );
    return renderResizeDone({ ...data, status: db.status, at: ctx.services.clock() });
  },
});

async function planResize(ctx: CommandContext, to: string, now: boolean): Promise<Plan<ResizeJobData>> {
  if (!INSTANCE_CLASS.test(to))
    throw new UserError(
      `\`${to}\` is not an RDS instance class.`,
      'Classes look like `db.t3.small` or `db.m6g.large`; the guides step db.t3.micro → db.t3.small → db.t3.medium. Example: `/ops db resize prod db.t3.small`.',
    );
  const instance = requireRds(ctx.envName, ctx.env);
  const db = await describeForChange(ctx.aws(), instance);
  if (db.instanceClass === to)
    throw new UserError(
      `\`${instance}\` already is ${to}; nothing to change.`,
      `See it with \`/ops status ${ctx.envName}\`.`,
    );
  if (!now && db.pending.instanceClass === to)
    throw new UserError(
      `\`${instance}\` already has ${to} queued for its next maintenance window.`,
      `To apply it now (a reboot): \`/ops db resize ${ctx.envName} ${to} --now\`.`,
    );
  if (db.status !== 'available')
    throw new UserError(
      `\`${instance}\` is ${db.status}; RDS changes the class only of an available instance.`,
      `Wait until \`/ops status ${ctx.envName}\` shows it available, then ask again.`,
    );
  const planned = ctx.services.clock();
  const next = nextMaintenanceWindow(db.maintenanceWindow, planned);
  const window: WindowView | undefined =
    next && db.maintenanceWindow
      ? {
          text: db.maintenanceWindow,
          start: next.start.toISOString(),
          end: next.end.toISOString(),
          inProgress: next.inProgress,
        }
      : undefined;
  const pending = [
    db.pending.instanceClass && `class ${db.pending.instanceClass}`,
    db.pending.allocatedGb && `${db.pending.allocatedGb} GiB`,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    command: 'db resize',
    env: ctx.envName,
    args: { class: to, now },
    summary: `Resize RDS \`${instance}\` ${db.instanceClass} → ${to}${now ? ' now (reboot)' : ' in the maintenance window'}`,
    effects: [
      resizeEffect({ instance, from: db.instanceClass, to, now, window, pending: pending || undefined }, planned),
    ],
    targets: [{ kind: 'rds-instance', id: instance, detail: `${db.instanceClass}${db.multiAz ? ', Multi-AZ' : ''}` }],
    preconditions: [
      { what: `${instance} is of class`, expected: db.instanceClass },
      { what: `${instance} is`, expected: db.status },
    ],
    data: { env: ctx.envName, instance, from: db.instanceClass, status: db.status, to, now, window },
    plannedAt: planned.toISOString(),
  };
}

export const dbResize = defineCommand({
  name: 'db resize',
  summary: 'Change the RDS instance class: in the next maintenance window (says when), or --now with a reboot',
  usage: '[env] <class> [--now]',
  examples: ['db resize prod db.t3.small', 'db resize prod db.t3.medium --now'],
  risk: 'dangerous',
  positionals: ['class'],
  args: z.object({
    class: z.string({ error: 'is required: an instance class such as `db.t3.small`' }).min(1),
    now: z.boolean().default(false),
  }),
  jobs: [dbResizeJob],
  plan: (ctx, args) => planResize(ctx, args.class.toLowerCase(), args.now),
  async execute(_ctx, { data }) {
    return {
      job: {
        name: dbResizeJob.name,
        data: { ...data },
        title: `Resize ${data.env}: ${data.instance} ${data.from} → ${data.to}${data.now ? ' now' : ''}`,
      },
    };
  },
});
