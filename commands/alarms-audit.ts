import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import type { Plan } from '../src/core/plan.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { requireUnchanged } from '../src/errors.js';
import { actionJob } from '../src/aws/action-job.js';
import { follow } from '../src/aws/action-follow.js';
import { describeMetricAlarms, putRecommendedAlarm } from '../src/aws/alarm-audit.js';
import type { AlarmSpec } from '../src/aws/alarm-judge.js';
import { section } from '../views/blocks.js';
import { alarmCreateEffect, renderAlarmAudit, renderAlarmsCreated } from '../views/alarm-audit.js';
import { auditAlarms, snsTopicFor } from './alarms-audit/audit.js';

/** The plan's data: a read, or the missing alarms to create, frozen, and the topic they notify. */
export interface AlarmAuditPlanData {
  env: string;
  create?: { specs: AlarmSpec[]; topic: string };
}
interface AlarmCreateJobData {
  env: string;
  specs: AlarmSpec[];
  topic: string;
}

export const alarmsCreateJob = definePlannedJob<AlarmCreateJobData>({
  name: 'alarms.create',
  timeoutMs: 10 * 60_000,
  // PutMetricAlarm replaces an alarm of the same name: running it twice leaves the same alarms.
  idempotent: true,
  async run(ctx, data) {
    const { step, following } = actionJob(ctx, data.env);
    const names = data.specs.map((s) => s.name);
    // Someone may have made one of these while this waited for approval: then what was approved no longer fits.
    const now = await describeMetricAlarms(step(), names);
    requireUnchanged(
      now.alarms.length === 0,
      `${now.alarms.map((a) => `\`${a.name}\``).join(', ')} now exist${now.alarms.length === 1 ? 's' : ''}, but did not when this was approved; nothing was created.`,
      `Look with \`/ops alarms audit ${data.env}\`, then ask again with \`/ops alarms audit ${data.env} --create\`.`,
    );
    for (const [i, spec] of data.specs.entries()) {
      await ctx.progress(Math.round((i / data.specs.length) * 80), spec.name);
      await putRecommendedAlarm(step(), spec, data.topic);
    }
    // CloudWatch lists a new alarm at once, normally: followed until every one is there.
    await follow(
      {
        ...following(2 * 60_000, [80, 99]),
        waitingFor: 'the new alarms to be listed',
        afterTimeout: `Check with \`/ops alarms audit ${data.env}\`.`,
      },
      async () => {
        const listed = await describeMetricAlarms(step(), names);
        return listed.alarms.length === names.length
          ? { done: true, value: undefined }
          : { done: false, note: `${listed.alarms.length}/${names.length} listed` };
      },
    );
    return renderAlarmsCreated(data.env, data.specs, data.topic);
  },
});

const args = z.object({ create: z.boolean().default(false) });

async function planAudit(ctx: CommandContext, create: boolean): Promise<Plan<AlarmAuditPlanData>> {
  const base = {
    command: 'alarms audit',
    env: ctx.envName,
    args: { create },
    plannedAt: ctx.services.clock().toISOString(),
  };
  if (!create)
    return {
      ...base,
      summary: `Compare the CloudWatch alarms of ${ctx.envName} with the guide`,
      effects: ['Nothing changes.'],
      targets: [],
      preconditions: [],
      data: { env: ctx.envName },
    };
  const topic = snsTopicFor(ctx.envName, ctx.env, ctx.config);
  const { findings } = await auditAlarms(ctx, ctx.aws());
  const specs = findings.flatMap((f) => (f.status === 'missing' ? [f.spec] : []));
  return {
    ...base,
    summary: `Create ${specs.length} recommended CloudWatch alarm${specs.length === 1 ? '' : 's'} in ${ctx.envName}`,
    effects: specs.length ? [alarmCreateEffect(ctx.envName, specs, topic)] : ['Nothing changes.'],
    targets: specs.map((s) => ({ kind: 'cloudwatch-alarm', id: s.name, detail: s.about })),
    preconditions: specs.map((s) => ({ what: `alarm ${s.name} exists`, expected: false })),
    data: { env: ctx.envName, create: { specs, topic } },
  };
}

export const alarmsAudit = defineCommand({
  name: 'alarms audit',
  summary: "The environment's CloudWatch alarms against the ones its guide recommends; --create makes the missing ones",
  usage: '[env] [--create]',
  examples: ['alarms audit', 'alarms audit prod --create'],
  // Reading is harmless; creating alarms changes who gets paged, so --create goes through the gate.
  risk: 'write',
  args,
  jobs: [alarmsCreateJob],
  plan: (ctx, { create }) => planAudit(ctx, create),
  needsApproval: ({ data }) => (data.create?.specs.length ?? 0) > 0,
  async execute(ctx, { data }) {
    if (!data.create) {
      const s = ctx.aws();
      const audit = await auditAlarms(ctx, s);
      return renderAlarmAudit({
        env: ctx.envName,
        source: audit.guide.source,
        findings: audit.findings,
        truncated: audit.truncated,
        notes: s.notes,
      });
    }
    if (data.create.specs.length === 0) {
      const text = `${data.env}: every recommended alarm exists; nothing to create`;
      return { text, tone: 'muted', blocks: [section(text)] };
    }
    const job: AlarmCreateJobData = { env: data.env, ...data.create };
    return {
      job: { name: alarmsCreateJob.name, data: { ...job }, title: `Create ${job.specs.length} alarms in ${data.env}` },
    };
  },
});
