import type { JobContext } from '../core/job.js';
import { actionTiming, jobFollowSettings, pollSession } from './action-follow.js';
import { configuredEnv } from './action-target.js';

/**
 * What every AWS action job (rollback, restart, scale, backup, restore) starts
 * from: its environment, checked to be still configured; the region's clients;
 * the environment's timing; a short session per step; and the follow settings
 * (the job's cancel signal, time limit and progress) for waiting on AWS.
 */
export function actionJob(job: JobContext, envName: string) {
  const env = configuredEnv(job.config.environments, envName);
  const clients = job.services.aws.forEnv(env);
  const timing = actionTiming(env);
  return {
    env,
    clients,
    timing,
    /** A session for one call or a short check: its own 15 s budget. */
    step: () => pollSession(clients),
    /** Follow settings for waiting up to `timeoutMs`, reporting progress within `range`. */
    following: (timeoutMs: number, range?: [number, number]) => jobFollowSettings(job, timing, timeoutMs, range),
  };
}
