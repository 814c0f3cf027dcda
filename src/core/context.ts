import type { OpsConfig, EnvironmentConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Services } from './services.js';
import type { CommandDefinition } from './command.js';
import type { AwsSession, AwsSessionOptions } from '../aws/session.js';
import type { TargetDatabase, TargetDatabaseAccess } from '../probes/target-postgres.js';
import type { AwsAccess } from '../aws/clients.js';
import type { DockerAccess } from '../docker/access.js';
import type { DockerEngine } from '../docker/engine.js';
import type { Pm2Access } from '../pm2/access.js';
import type { Pm2Daemon } from '../pm2/daemon.js';

export interface Actor {
  /** Slack user id, or "cli:<name>" for a terminal without --as. */
  id: string;
  name?: string;
}

/** Everything a handler may use. Handlers never import pg, bullmq, ioredis or the AWS SDK. */
export interface CommandContext {
  command: CommandDefinition;
  /** The command text as typed, after "/ops ". */
  text: string;
  /** The environment the command is about (commands with env: false get the default). */
  envName: string;
  env: EnvironmentConfig;
  config: OpsConfig;
  actor: Actor;
  channelId?: string;
  /** Slack's trigger_id (valid 3 s), for commands that answer with a modal. */
  triggerId?: string;
  source: 'slack' | 'cli';
  log: Logger;
  services: Services;
  /** An AWS session for this command's environment: its calls share the 4 s budget (or `deadlineMs`). */
  aws(options?: AwsSessionOptions): AwsSession;
  /** This environment's own database (environments.<env>.database), for /ops db. */
  db(): TargetDatabase;
  /** This environment's Docker Engine and compose project (environments.<env>.docker); throws a UserError without one. */
  docker(): DockerEngine;
  /** This environment's pm2 daemon (environments.<env>.pm2); throws a UserError without one. */
  pm2(): Pm2Daemon;
}

/** The helpers of a command context, bound to one environment. */
export function environmentHelpers(
  services: { aws: AwsAccess; targets: TargetDatabaseAccess; docker: DockerAccess; pm2: Pm2Access },
  envName: string,
  env: EnvironmentConfig,
): Pick<CommandContext, 'aws' | 'db' | 'docker' | 'pm2'> {
  return {
    aws: (options) => services.aws.session(env, options),
    db: () => ({
      readOnly: (work) => services.targets.readOnly(envName, work),
      execute: (work) => services.targets.execute(envName, work),
      session: (work) => services.targets.session(envName, work),
    }),
    docker: () => services.docker.engine(envName, env),
    pm2: () => services.pm2.daemon(envName, env),
  };
}
