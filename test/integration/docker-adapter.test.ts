import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DockerEngine,
  DockerError,
  listServices,
  restartService,
  serviceLogs,
  serviceStats,
} from '../../src/docker/index.js';
import { startDockerEngine, type TestDockerEngine } from '../support/docker-engine.js';

const started = await startDockerEngine();
if (!started.ok) console.warn(`Skipping Docker adapter tests: ${started.reason}`);

const API_SCRIPT = [
  'echo \'{"level":"info","msg":"listening on 3000"}\'',
  'echo \'{"level":"error","msg":"db timeout"}\'',
  'echo "ERROR payment failed" >&2',
  'echo "warn: slow query" >&2',
  'echo \'{"level":50,"msg":"pino error"}\'',
  'while true; do sleep 1; done',
].join('; ');

describe.skipIf(!started.ok)('Docker adapter against a real Docker Engine', () => {
  let engine: TestDockerEngine;
  let esn: DockerEngine;

  beforeAll(async () => {
    engine = (started as { engine: TestDockerEngine }).engine;
    esn = new DockerEngine({ host: engine.host, project: 'esn', timeout: 10_000 });
    await engine.runService({ project: 'esn', service: 'api', script: API_SCRIPT });
    await engine.runService({
      project: 'esn',
      service: 'worker',
      script: 'rm -f /tmp/healthy; sleep 1; touch /tmp/healthy; while true; do sleep 1; done',
      healthcheck: 'test -f /tmp/healthy',
    });
    await engine.runService({ project: 'other', service: 'db', script: 'while true; do sleep 1; done' });
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
  }, 60_000);

  it('lists the services of one compose project with state, health, restarts, uptime and image', async () => {
    const services = await listServices(esn);
    expect(services.map((s) => s.name)).toEqual(['api', 'worker']);
    const api = services[0].containers[0];
    expect(api).toMatchObject({ name: 'esn-api-1', service: 'api', state: 'running', health: 'none', restarts: 0 });
    expect(api.image).toContain('opsbot-test/busybox');
    expect(api.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(api.ports).toEqual([]);
  });

  it('reads logs demultiplexed into stdout and stderr, and filters errors and patterns', async () => {
    await waitFor(async () => (await serviceLogs(esn, 'api')).lines.length >= 5);
    const all = await serviceLogs(esn, 'api');
    // The engine timestamps stdout and stderr separately, so only the order within a stream is guaranteed.
    const text = (stream: string) => all.lines.filter((l) => l.stream === stream).map((l) => l.text);
    expect(text('stdout')).toEqual([
      '{"level":"info","msg":"listening on 3000"}',
      '{"level":"error","msg":"db timeout"}',
      '{"level":50,"msg":"pino error"}',
    ]);
    expect(text('stderr')).toEqual(['ERROR payment failed', 'warn: slow query']);
    expect(all.lines[0].time).toBeInstanceOf(Date);
    const errors = await serviceLogs(esn, 'api', { errors: true });
    expect(errors.lines.map((l) => l.text).sort()).toEqual([
      'ERROR payment failed',
      '{"level":"error","msg":"db timeout"}',
      '{"level":50,"msg":"pino error"}',
    ]);
    expect((await serviceLogs(esn, 'api', { pattern: 'PAYMENT' })).lines).toHaveLength(1);
    expect((await serviceLogs(esn, 'api', { tail: 2 })).lines).toHaveLength(2);
    expect((await serviceLogs(esn, 'api', { since: new Date(Date.now() + 60_000) })).lines).toHaveLength(0);
  });

  it('reads CPU and memory per container, one-shot and as samples', async () => {
    const once = await serviceStats(esn);
    expect(once.map((s) => s.container).sort()).toEqual(['esn-api-1', 'esn-worker-1']);
    for (const s of once) {
      expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(s.memoryBytes).toBeGreaterThan(0);
      expect(s.samples).toHaveLength(1);
    }
    const series = await serviceStats(esn, { service: 'api', samples: 2, intervalMs: 200 });
    expect(series).toHaveLength(1);
    expect(series[0].samples).toHaveLength(2);
  });

  it('restarts a service and follows it until healthy', async () => {
    const notes: string[] = [];
    await waitFor(async () => (await listServices(esn))[1].containers[0].health === 'healthy');
    const result = await restartService(esn, 'worker', {
      stopTimeoutS: 0,
      pollMs: 200,
      onProgress: (n) => void notes.push(n),
    });
    expect(result.containers).toEqual([
      expect.objectContaining({ name: 'esn-worker-1', state: 'running', health: 'healthy' }),
    ]);
    expect(notes.some((n) => n.includes('starting'))).toBe(true);
    expect((await listServices(esn))[1].containers[0].restarts).toBe(0); // a manual restart is not a crash restart
  });

  it('says when the restarted service never becomes healthy before the deadline', async () => {
    await engine.runService({
      project: 'esn',
      service: 'stuck',
      script: 'while true; do sleep 1; done',
      healthcheck: 'test -f /nope',
    });
    const err = await restartService(esn, 'stuck', { stopTimeoutS: 0, pollMs: 100, deadlineMs: 300 }).catch((e) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect(err.message).toMatch(/esn-stuck-1 was not healthy .* after the restart/);
  });

  it('names unknown projects and services and lists what exists', async () => {
    const nope = new DockerEngine({ host: engine.host, project: 'nope', timeout: 5000 });
    const project = await listServices(nope).catch((e) => e);
    expect(project).toMatchObject({ kind: 'unknown-project' });
    expect(project.message).toContain('compose project `nope`');
    expect(project.hint).toContain('esn, other');
    const service = await serviceLogs(esn, 'web').catch((e) => e);
    expect(service).toMatchObject({ kind: 'unknown-service' });
    expect(service.hint).toContain('api');
  });
});

describe('Docker adapter errors without an engine', () => {
  let dir: string;
  let server: Server | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbot-nodkr-'));
  });
  afterAll(async () => {
    server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says there is no engine on a missing socket and what to do', async () => {
    const err = await listServices(
      new DockerEngine({ host: `unix://${dir}/docker.sock`, project: 'esn', timeout: 2000 }),
    ).catch((e) => e);
    expect(err).toMatchObject({ kind: 'unreachable' });
    expect(err.message).toContain(`No Docker Engine answers at unix://${dir}/docker.sock`);
    expect(err.hint).toContain('docker.host');
  });

  it('gives a timeout naming the engine when the socket never answers', async () => {
    const socket = join(dir, 'silent.sock');
    server = createServer(() => undefined).listen(socket);
    const err = await listServices(new DockerEngine({ host: `unix://${socket}`, project: 'esn', timeout: 300 })).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(err.message).toContain(`Docker Engine at unix://${socket} did not answer`);
  });

  it.skipIf(process.getuid?.() === 0)('says permission denied on a socket opsbot may not open', async () => {
    const socket = join(dir, 'locked.sock');
    await writeFile(socket, '');
    await chmod(socket, 0o000);
    const err = await listServices(new DockerEngine({ host: `unix://${socket}`, project: 'esn', timeout: 2000 })).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ kind: 'permission' });
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
