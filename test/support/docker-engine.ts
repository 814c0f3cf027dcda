import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';

/**
 * A private Docker Engine for tests, as STACK.md verified it: Debian's dockerd
 * on its own socket with its own data and exec roots under a temp dir, no
 * bridge, no iptables (no traffic leaves loopback), and an image imported from
 * a busybox rootfs (no registry pulls). Containers run with --network none.
 */
export const TEST_IMAGE = 'opsbot-test/busybox';
const APPLETS = ['sh', 'echo', 'sleep', 'cat', 'touch', 'rm', 'test', 'true', 'date'];

export interface TestDockerEngine {
  host: string;
  docker: Docker;
  /** Creates and starts a container of compose project/service with labels; returns its id. */
  runService(opts: ServiceContainerOptions): Promise<string>;
  stop(): Promise<void>;
}

export interface ServiceContainerOptions {
  project: string;
  service: string;
  number?: number;
  script: string;
  healthcheck?: string;
  tty?: boolean;
}

export type EngineStart = { ok: true; engine: TestDockerEngine } | { ok: false; reason: string };

/** Starts dockerd, or says why it cannot; under CI a failure to start is an error, never a skip. */
export async function startDockerEngine(): Promise<EngineStart> {
  try {
    const why = missingPrerequisite();
    if (why) throw new Error(why);
    return { ok: true, engine: await launch() };
  } catch (err) {
    const reason = `dockerd could not start: ${(err as Error).message}`;
    if (process.env.CI) throw new Error(`${reason} (CI is set, so Docker tests must run, not skip)`, { cause: err });
    return { ok: false, reason };
  }
}

function missingPrerequisite(): string | undefined {
  if (process.getuid?.() !== 0) return 'dockerd needs root here';
  if (spawnSync('dockerd', ['--version']).error) return 'no dockerd: apt-get install -y docker.io';
  if (!existsSync('/bin/busybox')) return 'no /bin/busybox: apt-get install -y busybox-static';
  return undefined;
}

async function launch(): Promise<TestDockerEngine> {
  // Unix socket paths are limited to 108 bytes: keep the temp dir short.
  const dir = await mkdtemp(join(tmpdir(), 'opsbot-dkr-'));
  const socket = join(dir, 'docker.sock');
  const daemon = spawn(
    'dockerd',
    [
      '--host',
      `unix://${socket}`,
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'dockerd.pid'),
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
    ],
    { stdio: 'ignore', detached: false },
  );
  let exited: string | undefined;
  daemon.on('exit', (code, signal) => (exited = `dockerd exited (${code ?? signal})`));
  daemon.on('error', (err) => (exited = err.message));
  const docker = new Docker({ socketPath: socket, timeout: 10_000 });
  const stop = async () => {
    const all = await docker.listContainers({ all: true }).catch(() => []);
    await Promise.all(
      all.map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    const pid = Number((await readFile(join(dir, 'dockerd.pid'), 'utf8').catch(() => '')) || daemon.pid);
    if (!exited && pid) {
      const gone = new Promise<void>((r) => daemon.once('exit', () => r()));
      process.kill(pid, 'SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 15_000))]);
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  };
  try {
    await waitForPing(docker, () => exited);
    await importBusybox(docker, dir);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: `unix://${socket}`,
    docker,
    stop,
    async runService(opts) {
      const container = await docker.createContainer({
        name: `${opts.project}-${opts.service}-${opts.number ?? 1}`,
        Image: TEST_IMAGE,
        Cmd: ['/bin/sh', '-c', opts.script],
        Tty: opts.tty ?? false,
        Labels: {
          'com.docker.compose.project': opts.project,
          'com.docker.compose.service': opts.service,
          'com.docker.compose.container-number': String(opts.number ?? 1),
        },
        Healthcheck: opts.healthcheck
          ? { Test: ['CMD-SHELL', opts.healthcheck], Interval: 500e6, Timeout: 1e9, Retries: 2, StartPeriod: 0 }
          : undefined,
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
      return container.id;
    },
  };
}

async function waitForPing(docker: Docker, exited: () => string | undefined): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(gone);
    try {
      await docker.ping();
      return;
    } catch (err) {
      if (Date.now() > until)
        throw new Error(`no answer on its socket after 30s (${(err as Error).message})`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function importBusybox(docker: Docker, dir: string): Promise<void> {
  const root = join(dir, 'rootfs');
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'tmp'), { recursive: true });
  await copyFile('/bin/busybox', join(root, 'bin', 'busybox'));
  for (const applet of APPLETS) await symlink('busybox', join(root, 'bin', applet));
  const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stream = await docker.importImage(tar.stdout as unknown as string, { repo: TEST_IMAGE, tag: 'latest' });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
  );
}
