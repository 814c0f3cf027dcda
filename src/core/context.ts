import type { OpsConfig, EnvironmentConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Services } from './services.js';
import type { CommandDefinition } from './command.js';

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
}
