import { actionJob } from '../src/aws/action-job.js';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../src/errors.js';
import { ACTION_HARD_LIMITS } from '../src/config/schema.js';
import { resolveTarget, targetLabel, type ActionTarget } from '../src/aws/action-target.js';
import { restartEbAppServer, updateEcsService } from '../src/aws/rollout.js';
import { followEbEnvironment, followEcsDeployment } from '../src/aws/action-follow-rollout.js';
import { currentVersion } from '../src/aws/action-current.js';
import { renderRolloutDone, restartEffect, restartJobTitle, rolloutFailure } from '../views/rollback.js';
import { withSelfHostedRestart } from './self-hosted/restart.js';

const USAGE = '/ops restart [env] [service]';

/** The plan's data and the job's: the target and the version it ran when the restart was asked for. */
export interface RestartJobData {
  env: string;
  target: ActionTarget;
  /** Absent only in jobs queued before plans were frozen. */
  running?: string;
}

export const restartJob = definePlannedJob<RestartJobData>({
  name: 'actions.restart',
  timeoutMs: ACTION_HARD_LIMITS.rollout,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    if (data.running !== undefined) {
      // A deploy in between means restarting something nobody approved restarting.
      const now = await currentVersion(step(), data.target);
      requireUnchanged(
        now === data.running,
        `${data.env} now runs \`${now}\`, not \`${data.running}\` as when the restart was approved; nothing was restarted.`,
        `Ask again with \`/ops restart ${data.env}${data.target.kind === 'ecs' ? ` ${data.target.service}` : ''}\`.`,
      );
    }
    const since = new Date(Date.now() - 5000);
    await ctx.progress(2, 'restarting');
    const settings = following(timing.rolloutTimeoutMs);
    let outcome;
    if (data.target.kind === 'beanstalk') {
      await restartEbAppServer(step(), data.target.environment);
      outcome = await followEbEnvironment(clients, settings, { ...data.target, since });
    } else {
      const started = await updateEcsService(step(), {
        cluster: data.target.cluster,
        service: data.target.service,
        forceNewDeployment: true,
      });
      outcome = await followEcsDeployment(clients, settings, { ...data.target, deploymentId: started.deploymentId });
    }
    const view = { action: 'restart' as const, env: data.env, target: targetLabel(data.target), ...outcome };
    if (!outcome.ok) {
      const { message, hint } = rolloutFailure(view);
      throw new UserError(message, hint);
    }
    return renderRolloutDone(view);
  },
});

const restartAws = defineCommand({
  name: 'restart',
  summary: 'Restart the app: Beanstalk RestartAppServer or an ECS force-new-deployment; followed until healthy',
  usage: '[env] [service]',
  examples: ['restart prod', 'restart prod backend'],
  risk: 'dangerous',
  positionals: ['service'],
  args: z.object({ service: z.string().min(1).optional() }),
  jobs: [restartJob],
  async plan(ctx, { service }) {
    const target = resolveTarget(ctx.envName, ctx.env, service, USAGE);
    // Looked up so a wrong name or missing permission is said now, not after the approval.
    const running = await currentVersion(ctx.aws(), target);
    const label = targetLabel(target);
    const where = target.kind === 'beanstalk' ? target.environment : `${target.cluster}/${target.service}`;
    return {
      command: 'restart',
      env: ctx.envName,
      args: { service },
      summary: `Restart ${label} (running \`${running}\`)`,
      effects: [`${restartEffect(label, target.kind)} (running \`${running}\`)`],
      targets: [{ kind: target.kind === 'beanstalk' ? 'eb-environment' : 'ecs-service', id: where }],
      preconditions: [{ what: `${where} runs`, expected: running }],
      data: { env: ctx.envName, target, running },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(_ctx, { data }) {
    return {
      job: { name: restartJob.name, data: { ...data }, title: restartJobTitle(data.env, targetLabel(data.target)) },
    };
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const restart = withSelfHostedRestart(restartAws);
