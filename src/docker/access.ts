import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import { DockerEngine } from './engine.js';

/** The port commands and jobs reach Docker through (ctx.docker() in commands): one engine per environment. */
export interface DockerAccess {
  engine(envName: string, env: EnvironmentConfig): DockerEngine;
}

/** Builds one DockerEngine per host and project and keeps it (dockerode holds no connection between calls). */
export class DockerEngines implements DockerAccess {
  private readonly engines = new Map<string, DockerEngine>();

  engine(envName: string, env: EnvironmentConfig): DockerEngine {
    const target = env.docker;
    if (!target)
      throw new UserError(
        `\`${envName}\` has no Docker Engine configured.`,
        `Add \`docker: { project: <compose project> }\` (and \`host:\` when it is not ${'unix:///var/run/docker.sock'}) to environments.${envName} in ops.yml.`,
      );
    const key = `${target.host}|${target.project}|${target.timeout}`;
    let engine = this.engines.get(key);
    if (!engine) this.engines.set(key, (engine = new DockerEngine(target)));
    return engine;
  }
}
