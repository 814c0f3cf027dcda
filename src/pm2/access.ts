import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import { Pm2Daemon } from './daemon.js';

/** The port commands and jobs reach pm2 through (ctx.pm2() in commands): the daemon of an environment. */
export interface Pm2Access {
  daemon(envName: string, env: EnvironmentConfig): Pm2Daemon;
}

/** A Pm2Daemon per environment; each call opens and closes its own RPC session, so nothing is held. */
export class Pm2Daemons implements Pm2Access {
  constructor(private readonly processEnv: NodeJS.ProcessEnv = process.env) {}

  daemon(envName: string, env: EnvironmentConfig): Pm2Daemon {
    if (!env.pm2)
      throw new UserError(
        `\`${envName}\` has no pm2 daemon configured.`,
        `Add \`pm2: {}\` (or \`pm2: { home: /home/deploy/.pm2 }\`) to environments.${envName} in ops.yml.`,
      );
    return new Pm2Daemon(env.pm2, this.processEnv);
  }
}
