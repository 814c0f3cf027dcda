import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { withTimeout } from '../errors.js';
import type { DockerTarget } from '../config/self-hosted.js';
import { toDockerError } from './errors.js';

/**
 * dockerode (with ssh2, gRPC and protobufjs under it) is loaded on the first engine, not at start-up:
 * an install with no `docker:` environment never pays its ~5 MB (docs/benchmarks.md, memory).
 */
const loadDockerode = (): typeof Docker => createRequire(import.meta.url)('dockerode') as typeof Docker;

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
export const NUMBER_LABEL = 'com.docker.compose.container-number';

/** dockerode's connection options for unix:///path, tcp://host:port or http(s)://host:port. */
export function connectionOptions(host: string): Docker.DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return {
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 2376 : 2375)),
  };
}

/**
 * One compose project on one Docker Engine. Every call goes through `call`,
 * which applies the timeout (the request is aborted, not just abandoned) and
 * turns socket and HTTP errors into a DockerError naming the engine.
 */
export class DockerEngine {
  readonly docker: Docker;
  readonly host: string;
  readonly project: string;
  readonly timeoutMs: number;

  constructor(target: Pick<DockerTarget, 'host' | 'project' | 'timeout'>) {
    this.host = target.host;
    this.project = target.project;
    this.timeoutMs = target.timeout;
    // No socket timeout in dockerode itself: it would cut a `restart -t 10` (which answers only after the stop)
    // at the call timeout. `call` bounds every request with its own limit and aborts it.
    const Dockerode = loadDockerode();
    this.docker = new Dockerode(connectionOptions(target.host));
  }

  async call<T>(
    what: string,
    work: (docker: Docker, signal: AbortSignal) => Promise<T>,
    ms = this.timeoutMs,
  ): Promise<T> {
    try {
      return await withTimeout(`Docker Engine (${what})`, ms, (signal) => work(this.docker, signal));
    } catch (err) {
      throw toDockerError(err, this.host, what);
    }
  }
}
