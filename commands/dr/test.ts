import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { ACTION_HARD_LIMITS } from '../../src/config/schema.js';
import { configuredEnv, requireRds } from '../../src/aws/action-target.js';
import { newInstanceName } from '../../src/aws/snapshots.js';
import { renderSvgToPng } from '../../src/charts/png.js';
import { drTargets, runDrTest, type DrMethod } from '../../src/backup/dr-test.js';
import { drJobTitle, drSpan, renderDrReport } from '../../views/dr-test.js';
import { renderDrReportSvg } from '../../views/dr-test-picture.js';

interface DrJobData {
  env: string;
  method: DrMethod;
  requestedBy: string;
}

export const drTestJob = definePlannedJob<DrJobData>({
  name: 'actions.dr-test',
  // Its steps are also streamed as a log in the thread of its message (chat.startStream).
  streamLog: true,
  // The restore's limit plus room for the counts and the clean-up.
  timeoutMs: ACTION_HARD_LIMITS.restore + 60 * 60_000,
  async run(ctx, data) {
    const env = configuredEnv(ctx.config.environments, data.env);
    const { test, view } = await runDrTest({
      envName: data.env,
      env,
      services: ctx.services,
      signal: ctx.signal,
      progress: ctx.progress,
      method: data.method,
      jobId: ctx.jobId,
      requestedBy: data.requestedBy,
    });
    const png = renderSvgToPng(renderDrReportSvg(view));
    return {
      ...renderDrReport(view),
      files: [
        {
          filename: `dr-test-${data.env}-${test.startedAt.toISOString().slice(0, 10)}.png`,
          title: `DR test ${data.env}: ${view.passed ? 'passed' : 'failed'}`,
          content: png,
        },
      ],
    };
  },
});

export const drTest = defineCommand({
  name: 'dr test',
  summary:
    'DR test: restore the latest snapshot (or point in time) to a temporary instance, check it, measure RTO/RPO against the targets, delete it, record it',
  usage: '[env] [--from snapshot|point-in-time]',
  examples: ['dr test prod', 'dr test prod --from point-in-time'],
  // It creates and deletes only its own temporary instance; an access rule can still ask for approval.
  risk: 'write',
  args: z.object({
    from: z.enum(['snapshot', 'point-in-time'], { error: 'must be snapshot or point-in-time' }).optional(),
  }),
  jobs: [drTestJob],
  async plan(ctx, { from }) {
    const instance = requireRds(ctx.envName, ctx.env);
    const targets = drTargets(ctx.env);
    const method = from ?? targets.method;
    const tempId = newInstanceName(instance, 'drtest', ctx.services.clock());
    const what = method === 'snapshot' ? 'the latest available snapshot' : 'the latest restorable time';
    return {
      command: 'dr test',
      env: ctx.envName,
      args: from ? { from } : {},
      summary: `DR test of \`${instance}\`: restore ${what} to a temporary instance, check it, delete it`,
      effects: [
        `RDS: restores ${what} of \`${instance}\` into a temporary instance (\`${tempId}\`, stamped when the job starts; the live instance is not touched), compares row counts with live, then deletes it (no final snapshot).`,
        `Passes when the copy checks out, RTO ≤ ${drSpan(targets.rtoMs)} and RPO ≤ ${drSpan(targets.rpoMs)}; recorded for \`/ops status\` and \`/ops checklist status\`.`,
      ],
      targets: [
        { kind: 'rds-instance', id: instance, detail: 'live, untouched' },
        { kind: 'rds-instance', id: tempId, detail: 'temporary, deleted at the end' },
      ],
      preconditions: [],
      data: { env: ctx.envName, method, requestedBy: ctx.actor.id },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(_ctx, { data }) {
    return { job: { name: drTestJob.name, data: { ...data }, title: drJobTitle(data.env, data.method) } };
  },
});
