/**
 * Dump and verify throughput of opsbot's backups next to the plain shell
 * commands of guide 001 on the same data in the same run (target: within
 * 1.2×). Run: npm run bench:backup -- --gb 1 --runs 2   (defaults; --gb 0.1 for a quick run)
 * Each side runs --runs times, the order alternating; the best time of each is compared.
 * Uses the local Postgres (TEST_PG_ADMIN_URL), makes its own databases and
 * folder and removes them at the end.
 *
 * - dump:   runDump (pg_dump → in-process gzip → temp file → rename) vs `pg_dump | gzip > file`
 * - verify: restoreDump of that file into a scratch database (the restore is
 *           what /ops backup verify spends its time on) vs `gunzip -c file | psql`
 * MB/s are of the database's size (pg_database_size), so both sides are comparable.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runDump } from '../src/backup/dump.js';
import { restoreDump } from '../src/backup/restore-dump.js';
import { clientConnection } from '../src/backup/pg-tools.js';
import { createTestDatabase, type TestDatabase } from '../test/support/databases.js';

const TARGET_RATIO = 1.2;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  if (value !== undefined && !(value > 0)) throw new Error(`--${name} expects a positive number`);
  return value ?? fallback;
}

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** Rows of ~250 bytes (md5 text compresses about as well as real data, roughly 2–3×) until the size is reached. */
async function fill(url: string, bytes: number): Promise<number> {
  await sql(url, 'CREATE TABLE events (id bigint PRIMARY KEY, kind int, at timestamptz, body text)');
  const batch = 200_000;
  for (let from = 1; ; from += batch) {
    await sql(
      url,
      `INSERT INTO events SELECT g, g % 17, now() - g * interval '1 second',
         md5(g::text) || ' ' || md5((g * 7)::text) || ' status=ok user=' || (g % 5000) || ' ' || repeat(md5((g % 977)::text), 4)
       FROM generate_series(${from}, ${from + batch - 1}) g`,
    );
    const [{ size }] = await sql(url, 'SELECT pg_database_size(current_database())::bigint AS size');
    if (Number(size) >= bytes) return Number(size);
  }
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** Best of `runs` for each side, the order alternating (A B, B A, …) so neither always runs on the warmer cache. */
async function pair(
  runs: number,
  ours: () => Promise<unknown>,
  theirs: () => Promise<unknown>,
): Promise<[number, number]> {
  const mine: number[] = [];
  const shell: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      mine.push((await timed(ours)).ms);
      shell.push((await timed(theirs)).ms);
    } else {
      shell.push((await timed(theirs)).ms);
      mine.push((await timed(ours)).ms);
    }
  }
  return [Math.min(...mine), Math.min(...shell)];
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const gb = flag('gb', 1);
  const runs = flag('runs', 2);
  const live = await createTestDatabase('opsbot_bench_bk');
  const scratch: TestDatabase[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'opsbot-bench-bk-'));
  try {
    console.log(`filling a ${gb} GB database… (load ${load()}, ${cpus().length} cores)`);
    const size = await fill(live.url, gb * 1024 ** 3);
    const mb = size / 1024 ** 2;
    const { url, env } = clientConnection(live.url, 'opsbot-bench');
    const plainFile = join(dir, 'plain.sql.gz');
    let ourFile = '';
    let ourBytes = 0;
    const loadBefore = load();

    const dump = await pair(
      runs,
      async () => {
        if (ourFile) await rm(ourFile);
        const done = await runDump({
          envName: 'bench',
          url: live.url,
          dir,
          format: 'sql.gz',
          timeoutMs: 4 * 3_600_000,
        });
        ourFile = done.path;
        ourBytes = done.bytes;
      },
      async () =>
        execFileSync(
          'sh',
          ['-c', `pg_dump --format=plain --no-owner --no-privileges --no-password --dbname "$DB" | gzip > "$OUT"`],
          { env: { ...env, DB: url, OUT: plainFile }, stdio: ['ignore', 'ignore', 'inherit'] },
        ),
    );

    const fresh = async (label: string) => {
      const db = await createTestDatabase(label);
      scratch.push(db);
      return db;
    };
    const verify = await pair(
      runs,
      async () => {
        const a = await fresh('opsbot_bench_vf');
        await restoreDump(ourFile, a.url, new AbortController().signal);
      },
      async () => {
        const b = await fresh('opsbot_bench_vp');
        const conn = clientConnection(b.url, 'opsbot-bench');
        execFileSync(
          'sh',
          ['-c', `gunzip -c "$IN" | psql -X -q --no-password -v ON_ERROR_STOP=1 --dbname "$DB" > /dev/null`],
          { env: { ...conn.env, DB: conn.url, IN: plainFile }, stdio: ['ignore', 'ignore', 'inherit'] },
        );
      },
    );

    const rate = (ms: number) => mb / (ms / 1000);
    const rows = [
      ['dump', ...dump],
      ['verify (restore)', ...verify],
    ] as const;
    console.log(
      `\ndatabase ${mb.toFixed(0)} MB · opsbot file ${(ourBytes / 1024 ** 2).toFixed(0)} MB · shell file ${((await stat(plainFile)).size / 1024 ** 2).toFixed(0)} MB · best of ${runs} each, order alternating · load ${loadBefore} → ${load()}\n`,
    );
    console.log('step               opsbot MB/s   shell MB/s   opsbot/shell time   target');
    let ok = true;
    for (const [step, mine, theirs] of rows) {
      const ratio = mine / theirs;
      ok &&= ratio <= TARGET_RATIO;
      console.log(
        `${step.padEnd(18)} ${rate(mine).toFixed(1).padStart(11)}   ${rate(theirs).toFixed(1).padStart(10)}   ${ratio.toFixed(2).padStart(17)}×   ${ratio <= TARGET_RATIO ? 'ok' : `over ${TARGET_RATIO}×`}`,
      );
    }
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const db of scratch) await db.drop().catch(() => undefined);
    await live.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
