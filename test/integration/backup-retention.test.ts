import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeFreshness, listBackups, backupBaseName } from '../../src/backup/backup-files.js';
import { applyRetention } from '../../src/backup/retention.js';
import { runDump } from '../../src/backup/dump.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T10:00:00Z');

async function aged(dir: string, file: string, ageMs: number, now = NOW): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, 'x'.repeat(100));
  const at = new Date(now.getTime() - ageMs);
  await utimes(path, at, at);
  return path;
}

describe('backup retention and freshness, on files with fake ages', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbot-keep-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes this env’s files older than keep only after a newer backup succeeded, and says which', async () => {
    await aged(dir, 'esn-20261020-0200.sql.gz', 42 * DAY);
    await aged(dir, 'esn-20261030-0200.dump', 32 * DAY);
    await aged(dir, 'esn-20261121-0200.sql.gz', 10 * DAY);
    await aged(dir, 'other-20261001-0200.sql.gz', 60 * DAY);
    await aged(dir, 'notes.txt', 90 * DAY);
    await aged(dir, '.esn-20261201-0200.sql.gz.abc123.partial', 50 * DAY);
    const newest = await aged(dir, 'esn-20261201-0200.sql.gz', 8 * 3_600_000);

    expect(
      await applyRetention({ dir, envName: 'esn', keepMs: 30 * DAY, newest: join(dir, 'missing.sql.gz'), now: NOW }),
    ).toEqual([]);
    const deleted = await applyRetention({ dir, envName: 'esn', keepMs: 30 * DAY, newest, now: NOW });
    expect(deleted.map((f) => f.file).sort()).toEqual(['esn-20261020-0200.sql.gz', 'esn-20261030-0200.dump']);
    expect((await readdir(dir)).sort()).toEqual([
      '.esn-20261201-0200.sql.gz.abc123.partial',
      'esn-20261121-0200.sql.gz',
      'esn-20261201-0200.sql.gz',
      'notes.txt',
      'other-20261001-0200.sql.gz',
    ]);
  });

  it('never deletes the newest backup even when it is older than keep', async () => {
    const sub = await mkdtemp(join(dir, 'old-'));
    const only = await aged(sub, 'esn-20250101-0200.sql', 300 * DAY);
    expect(await applyRetention({ dir: sub, envName: 'esn', keepMs: 30 * DAY, newest: only, now: NOW })).toEqual([]);
  });

  it('lists files newest first with age and size', async () => {
    const files = await listBackups(dir, 'esn', NOW);
    expect(files.map((f) => [f.file, f.format, f.bytes, Math.round(f.ageMs / 3_600_000)])).toEqual([
      ['esn-20261201-0200.sql.gz', 'sql.gz', 100, 8],
      ['esn-20261121-0200.sql.gz', 'sql.gz', 100, 240],
    ]);
  });

  it('judges the newest file against the last scheduled run, with a margin after it', async () => {
    const files = await listBackups(dir, 'esn', NOW);
    expect(judgeFreshness(files, '0 2 * * *', 'UTC', NOW)).toMatchObject({ ok: true });
    const later = new Date(NOW.getTime() + DAY);
    const stale = judgeFreshness(await listBackups(dir, 'esn', later), '0 2 * * *', 'UTC', later);
    expect(stale).toMatchObject({ ok: false, note: 'no backup since the run due 2026-12-02T02:00:00.000Z' });
    // 02:20 the next day: tonight's dump may still be running, so yesterday's still counts.
    const early = new Date('2026-12-02T02:20:00Z');
    expect(judgeFreshness(await listBackups(dir, 'esn', early), '0 2 * * *', 'UTC', early)).toMatchObject({ ok: true });
    expect(judgeFreshness([], '0 2 * * *', 'UTC', NOW)).toMatchObject({ ok: false, note: 'no backup files yet' });
    expect(judgeFreshness(files, 'none', 'UTC', NOW).ok).toBeUndefined();
  });

  it('names files in the configured time zone', () => {
    expect(backupBaseName('esn', new Date('2026-12-01T02:05:00Z'), 'UTC')).toBe('esn-20261201-0205');
    expect(backupBaseName('esn', new Date('2026-12-01T02:05:00Z'), 'Asia/Tokyo')).toBe('esn-20261201-1105');
  });
});

const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

describe.skipIf(!canMount)('a dump that fills the disk', () => {
  let live: TestDatabase;
  let mountPoint: string;
  let mounted = false;
  beforeAll(async () => {
    live = await createTestDatabase('opsbot_full');
    const client = new pg.Client({ connectionString: live.url });
    await client.connect();
    await client.query(
      `CREATE TABLE blobs AS SELECT g AS id, md5(g::text) || md5((g*7)::text) AS v FROM generate_series(1, 60000) g`,
    );
    await client.end();
    mountPoint = await mkdtemp(join(tmpdir(), 'opsbot-full-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot mount a small tmpfs: ${r.stderr}`);
    mounted = true;
  });
  afterAll(async () => {
    if (mounted) spawnSync('umount', [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
    await live?.drop();
  });

  it('stops, removes its partial file, keeps the older backup and says the disk is full', async () => {
    await mkdir(mountPoint, { recursive: true });
    await writeFile(join(mountPoint, 'full-20261130-0200.sql'), 'older backup');
    const err = await runDump({
      envName: 'full',
      url: live.url,
      dir: mountPoint,
      format: 'sql',
      timeoutMs: 60_000,
    }).catch((e) => e);
    expect(err.message).toMatch(
      /^The disk holding .* is full: the pg_dump of full was stopped and its partial file removed; older backups were kept\.$/,
    );
    expect(await readdir(mountPoint)).toEqual(['full-20261130-0200.sql']);
  });
});
