import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../errors.js';

/** What an action (rollback, restart, scale) works on: the environment's Beanstalk environment or one ECS service. */
export type ActionTarget =
  { kind: 'beanstalk'; application: string; environment: string } | { kind: 'ecs'; cluster: string; service: string };

export function targetLabel(target: ActionTarget): string {
  return target.kind === 'beanstalk'
    ? `Elastic Beanstalk \`${target.environment}\``
    : `ECS service \`${target.service}\``;
}

/**
 * A named service means ECS; otherwise Beanstalk when configured, else the
 * environment's only ECS service. Several ECS services need a name.
 */
export function resolveTarget(
  envName: string,
  env: EnvironmentConfig,
  service: string | undefined,
  usage: string,
): ActionTarget {
  if (service) {
    if (env.beanstalk && service === env.beanstalk.environment) return { kind: 'beanstalk', ...env.beanstalk };
    if (!env.ecs) {
      throw new UserError(
        `\`${envName}\` has no ECS services, so there is no service \`${service}\`.`,
        env.beanstalk
          ? `Leave the service out to act on the Beanstalk environment: \`${usage}\``
          : `Add \`ecs: { cluster, services: [...] }\` to environments.${envName} in ops.yml.`,
      );
    }
    if (!env.ecs.services.includes(service)) {
      throw new UserError(
        `\`${envName}\` has no ECS service \`${service}\`. Configured: ${env.ecs.services.map((s) => `\`${s}\``).join(', ')}.`,
        `Usage: \`${usage}\``,
      );
    }
    return { kind: 'ecs', cluster: env.ecs.cluster, service };
  }
  if (env.beanstalk) return { kind: 'beanstalk', ...env.beanstalk };
  if (env.ecs) {
    if (env.ecs.services.length === 1) return { kind: 'ecs', cluster: env.ecs.cluster, service: env.ecs.services[0] };
    throw new UserError(
      `\`${envName}\` has ${env.ecs.services.length} ECS services; say which one.`,
      `Usage: \`${usage}\` with one of ${env.ecs.services.map((s) => `\`${s}\``).join(', ')}`,
    );
  }
  throw new UserError(
    `\`${envName}\` has neither Elastic Beanstalk nor ECS configured.`,
    `Add \`beanstalk: { application, environment }\` or \`ecs: { cluster, services: [...] }\` to environments.${envName} in ops.yml.`,
  );
}

export function requireRds(envName: string, env: EnvironmentConfig): string {
  if (!env.rds)
    throw new UserError(
      `\`${envName}\` has no RDS instance configured.`,
      `Add \`rds: { instance: <DBInstanceIdentifier> }\` to environments.${envName} in ops.yml.`,
    );
  return env.rds.instance;
}

/** Jobs look their environment up again when they run: it may have left ops.yml while they waited. */
export function configuredEnv(environments: Record<string, EnvironmentConfig>, envName: string): EnvironmentConfig {
  const env = environments[envName];
  if (!env)
    throw new UserError(
      `Environment \`${envName}\` is no longer configured, so nothing was done.`,
      'Check ops.yml, then run the command again.',
    );
  return env;
}
