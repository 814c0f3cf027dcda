import { redactSecrets } from '../redact.js';
import { TimeoutError, UserError } from '../errors.js';

/** A Docker Engine problem the operator can fix; the message names the engine and the part. */
export class DockerError extends UserError {
  constructor(
    readonly kind: 'unreachable' | 'permission' | 'unknown-project' | 'unknown-service' | 'timeout' | 'failed',
    message: string,
    hint?: string,
  ) {
    super(message, hint);
  }
}

const HOST_HINT = 'or set environments.<env>.docker.host in ops.yml to the socket the engine listens on';

/** Turns what dockerode throws (socket errors, HTTP status errors, timeouts) into a DockerError. */
export function toDockerError(err: unknown, host: string, what: string): UserError {
  if (err instanceof DockerError) return err;
  const shown = redactSecrets(host);
  if (err instanceof TimeoutError)
    return new DockerError(
      'timeout',
      `The Docker Engine at ${shown} did not answer ${what} within ${err.message.replace(/^.* after /, '')}.`,
      'Check that dockerd is running and not overloaded (`docker info` on that machine).',
    );
  const e = err as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED')
    return new DockerError(
      'unreachable',
      `No Docker Engine answers at ${shown} (${what}).`,
      `Start Docker on that machine (\`systemctl start docker\`), ${HOST_HINT}.`,
    );
  if (e.code === 'EACCES' || e.code === 'EPERM')
    return new DockerError(
      'permission',
      `Permission denied on the Docker socket ${shown} (${what}).`,
      'Give the user opsbot runs as access to the socket: add it to the `docker` group (`usermod -aG docker <user>`, then restart opsbot). That access is root-equivalent on the machine.',
    );
  if (e.code === 'ECONNRESET' || e.code === 'EHOSTUNREACH' || e.code === 'ETIMEDOUT' || e.code === 'ENOTFOUND')
    return new DockerError(
      'unreachable',
      `The Docker Engine at ${shown} is unreachable (${what}: ${e.code}).`,
      HOST_HINT,
    );
  const detail = e.json?.message ?? e.message ?? String(err);
  return new DockerError(
    'failed',
    `The Docker Engine at ${shown} refused ${what}${e.statusCode ? ` (HTTP ${e.statusCode})` : ''}: ${redactSecrets(detail)}.`,
  );
}
