import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pm2Daemon, Pm2Error, findProcess, listProcesses, processLogs, restartProcess } from '../../src/pm2/index.js';
import { startTestPm2, type TestPm2 } from '../support/pm2-daemon.js';

describe('pm2 adapter against a real pm2 daemon', () => {
  let pm2: TestPm2;
  let daemon: Pm2Daemon;

  beforeAll(async () => {
    pm2 = await startTestPm2();
    await pm2.start('invoice-backend');
    await pm2.start('invoice-worker', { time: true });
    daemon = new Pm2Daemon({ home: pm2.home, timeout: 10_000 });
    await waitFor(async () => (await processLogs(daemon, undefined)).lines.length >= 6);
  }, 60_000);

  afterAll(async () => {
    await pm2?.stop();
  }, 30_000);

  it('lists processes with status, restarts, uptime, CPU and memory', async () => {
    const procs = await listProcesses(daemon);
    expect(procs.map((p) => p.name)).toEqual(['invoice-backend', 'invoice-worker']);
    expect(procs[0]).toMatchObject({ status: 'online', restarts: 0 });
    expect(procs[0].uptimeMs).toBeGreaterThanOrEqual(0);
    expect(procs[0].memoryBytes).toBeGreaterThan(0);
    expect(procs[0].cpuPercent).toBeGreaterThanOrEqual(0);
    const only = new Pm2Daemon({ home: pm2.home, timeout: 10_000, processes: ['invoice-worker'] });
    expect((await listProcesses(only)).map((p) => p.name)).toEqual(['invoice-worker']);
  });

  it('reads logs from pm2’s files, with --errors taking the err file and JSON error levels', async () => {
    const all = await processLogs(daemon, 'invoice-backend');
    expect(all.lines.map((l) => `${l.stream} ${l.text}`).sort()).toEqual([
      'err warn: cache cold',
      'out {"level":"error","msg":"db timeout"}',
      expect.stringMatching(/^out \{"level":"info","msg":"listening"/),
    ]);
    const errors = await processLogs(daemon, 'invoice-backend', { errors: true });
    expect(errors.lines.map((l) => l.text).sort()).toEqual([
      'warn: cache cold',
      '{"level":"error","msg":"db timeout"}',
    ]);
    expect((await processLogs(daemon, 'invoice-backend', { pattern: 'CACHE' })).lines).toHaveLength(1);
  });

  it('parses pm2’s timestamps (time: true) and filters by since', async () => {
    const stamped = await processLogs(daemon, 'invoice-worker');
    expect(stamped.lines.every((l) => l.time instanceof Date)).toBe(true);
    expect(stamped.lines[0].text).not.toMatch(/^\d{4}-/);
    expect((await processLogs(daemon, 'invoice-worker', { since: new Date(Date.now() + 60_000) })).lines).toEqual([]);
  });

  it('restarts a process and follows it until it is steadily online', async () => {
    const notes: string[] = [];
    const result = await restartProcess(daemon, 'invoice-backend', {
      stableMs: 500,
      pollMs: 200,
      onProgress: (n) => void notes.push(n),
    });
    expect(result.instances[0]).toMatchObject({ name: 'invoice-backend', status: 'online', restarts: 1 });
    expect(notes[0]).toBe('restarting invoice-backend');
  });

  it('says when the restarted process keeps crashing', async () => {
    await writeFile(pm2.crashFlag, '');
    try {
      const err = await restartProcess(daemon, 'invoice-worker', {
        stableMs: 3000,
        pollMs: 200,
        deadlineMs: 20_000,
      }).catch((e) => e);
      expect(err).toBeInstanceOf(Pm2Error);
      expect(err.message).toMatch(/invoice-worker (is errored|keeps crashing)/);
      expect(err.hint).toContain('/ops logs --service invoice-worker --errors');
    } finally {
      await unlink(pm2.crashFlag);
    }
  }, 30_000);

  it('names an unknown process and lists the known ones', async () => {
    const err = await findProcess(daemon, 'invoice-api').catch((e) => e);
    expect(err).toMatchObject({ kind: 'unknown-process' });
    expect(err.hint).toBe('Its processes: invoice-backend, invoice-worker.');
  });
});

describe('pm2 adapter without a daemon', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbot-nopm2-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says pm2 is not running (and does not start one)', async () => {
    const err = await listProcesses(new Pm2Daemon({ home: dir, timeout: 3000 })).catch((e) => e);
    expect(err).toMatchObject({ kind: 'not-running' });
    expect(err.message).toBe(`pm2 is not running for PM2_HOME=${dir} (listing processes).`);
    expect(err.hint).toContain('pm2.home');
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
