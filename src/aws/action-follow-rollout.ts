import { describeEbEnvironment, type EbEvent } from './beanstalk.js';
import { describeEcsServices, recentStoppedTasks, shortTaskDefinition, type EcsStoppedTask } from './ecs.js';
import { follow, pollSession, type FollowOptions } from './action-follow.js';
import { ebEventsSince } from './rollout.js';
import type { AwsClients } from './clients.js';
import { settle } from './session.js';

/** How a followed rollout ended: healthy, or not and why, with AWS's own events. */
export interface RolloutOutcome {
  ok: boolean;
  /** One line: "Ready, health Green, version v41" or "rolloutState FAILED". */
  state: string;
  reason?: string;
  events: { at?: Date; severity?: string; message: string }[];
  stoppedTasks?: EcsStoppedTask[];
}

export type FollowSettings = Omit<FollowOptions, 'waitingFor' | 'afterTimeout'> & { healthGraceMs: number };

/**
 * Follows a Beanstalk environment after UpdateEnvironment or RestartAppServer
 * until it is Ready and Green (with the expected version), or ends Ready but
 * unhealthy for longer than the grace period, or on another version.
 */
export async function followEbEnvironment(
  clients: AwsClients,
  settings: FollowSettings,
  target: { application: string; environment: string; since: Date; expectVersion?: string },
): Promise<RolloutOutcome> {
  let sawBusy = false;
  let greenStreak = 0;
  let unhealthySince: number | undefined;
  const result = await follow<{ ok: boolean; state: string; reason?: string }>(
    {
      ...settings,
      waitingFor: `\`${target.environment}\` to be Ready and healthy`,
      afterTimeout: 'Check it with `/ops status`.',
    },
    async (elapsed) => {
      const s = pollSession(clients);
      const env = await describeEbEnvironment(s, target.application, target.environment);
      const state = `${env.status}, health ${env.health}${env.versionLabel ? `, version ${env.versionLabel}` : ''}`;
      if (env.status !== 'Ready') {
        sawBusy = true;
        unhealthySince = undefined;
        const latest = await settle(ebEventsSince(s, target.application, target.environment, target.since, 1));
        return { done: false, note: `${state}${latest.ok && latest.value[0] ? ` — ${latest.value[0].message}` : ''}` };
      }
      if (target.expectVersion && env.versionLabel !== target.expectVersion) {
        if (sawBusy)
          return {
            done: true,
            value: {
              ok: false,
              state,
              reason: `Beanstalk finished but runs \`${env.versionLabel ?? '?'}\`, not \`${target.expectVersion}\`: the deployment failed and was reverted.`,
            },
          };
        return { done: false, note: `${state} — waiting for the update to start` };
      }
      if (env.health === 'Green') {
        greenStreak++;
        // A restart may finish between two polls: two Green reads in a row count as done.
        if (sawBusy || target.expectVersion || greenStreak >= 2) return { done: true, value: { ok: true, state } };
        return { done: false, note: `${state} — confirming` };
      }
      greenStreak = 0;
      unhealthySince ??= elapsed;
      if (elapsed - unhealthySince >= settings.healthGraceMs) {
        return {
          done: true,
          value: {
            ok: false,
            state,
            reason: `\`${target.environment}\` is ${env.status} but its health is ${env.health}${env.healthStatus ? ` (${env.healthStatus})` : ''}.`,
          },
        };
      }
      return { done: false, note: `${state} — waiting for Green` };
    },
  );
  const events = await settle(
    ebEventsSince(pollSession(clients), target.application, target.environment, target.since, 8),
  );
  return {
    ...result,
    events: events.ok
      ? events.value.map((e: EbEvent) => ({ at: e.at, severity: e.severity, message: e.message }))
      : [{ message: `(events unavailable: ${events.error})` }],
  };
}

/**
 * Follows one ECS deployment (from UpdateService) until its rolloutState is
 * COMPLETED or FAILED. Services without rollout states (old deployment
 * controller) count as done when only this deployment is left, fully running.
 */
export async function followEcsDeployment(
  clients: AwsClients,
  settings: Omit<FollowOptions, 'waitingFor' | 'afterTimeout'>,
  target: { cluster: string; service: string; deploymentId?: string; taskDefinition?: string },
): Promise<RolloutOutcome> {
  let lastEvents: { at?: Date; message: string }[] = [];
  let seen = false;
  let polls = 0;
  const result = await follow<{ ok: boolean; state: string; reason?: string }>(
    {
      ...settings,
      waitingFor: `the \`${target.service}\` deployment to complete`,
      afterTimeout: 'Check it with `/ops status`.',
    },
    async () => {
      const s = pollSession(clients);
      const { services } = await describeEcsServices(s, target.cluster, [target.service], 5);
      const svc = services[0];
      if (!svc)
        return {
          done: true,
          value: { ok: false, state: 'service missing', reason: `ECS no longer finds service \`${target.service}\`.` },
        };
      lastEvents = svc.events;
      const dep = svc.deployments.find((d) =>
        target.deploymentId ? d.id === target.deploymentId : d.status === 'PRIMARY',
      );
      polls++;
      // DescribeServices is eventually consistent: a deployment just started may not show for a poll or two.
      if (!dep && !seen && polls <= 3) return { done: false, note: 'waiting for ECS to show the new deployment' };
      if (!dep) {
        const primary = svc.deployments.find((d) => d.status === 'PRIMARY');
        return {
          done: true,
          value: {
            ok: false,
            state: `now running ${shortTaskDefinition(primary?.taskDefinition ?? svc.taskDefinition)}`,
            reason: 'ECS replaced this deployment (the deployment circuit breaker rolls back a failing one).',
          },
        };
      }
      seen = true;
      const tasks = `${dep.running}/${dep.desired} tasks running on ${shortTaskDefinition(dep.taskDefinition)}${dep.failedTasks ? `, ${dep.failedTasks} failed` : ''}`;
      if (dep.rolloutState === 'COMPLETED') return { done: true, value: { ok: true, state: `COMPLETED — ${tasks}` } };
      if (dep.rolloutState === 'FAILED')
        return {
          done: true,
          value: {
            ok: false,
            state: `FAILED — ${tasks}`,
            reason: dep.rolloutStateReason ?? 'ECS marked the deployment FAILED.',
          },
        };
      if (!dep.rolloutState && svc.deployments.length === 1 && dep.running === dep.desired)
        return { done: true, value: { ok: true, state: tasks } };
      return {
        done: false,
        percent: dep.desired ? (100 * dep.running) / dep.desired : undefined,
        note: `${dep.rolloutState ?? 'rolling out'} — ${tasks}`,
      };
    },
  );
  if (result.ok) return { ...result, events: lastEvents };
  const stopped = await settle(recentStoppedTasks(pollSession(clients), target.cluster, target.service, 3));
  return { ...result, events: lastEvents, stoppedTasks: stopped.ok ? stopped.value : undefined };
}
