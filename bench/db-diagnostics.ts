/**
 * Times every /ops db diagnostic against a database with 2,000 tables (the
 * target is under 300 ms each). Run: npx tsx bench/db-diagnostics.ts
 * Uses the local Postgres (TEST_PG_ADMIN_URL, default postgres@127.0.0.1:5432),
 * makes its own database and drops it at the end.
 */
import { createTestDatabase } from '../test/support/databases.js';
import { commandContext, configFor, runSql } from '../test/support/pg-fixtures.js';
import { TargetDatabases } from '../src/probes/target-postgres.js';
import { isPlanned, type CommandDefinition } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import { isUserError } from '../src/errors.js';
import { dbConnections } from '../commands/db/connections.js';
import { dbActivity } from '../commands/db/activity.js';
import { dbLong } from '../commands/db/long.js';
import { dbLocks } from '../commands/db/locks.js';
import { dbSlow } from '../commands/db/slow.js';
import { dbSize } from '../commands/db/size.js';
import { dbTables } from '../commands/db/tables.js';
import { dbIndexes } from '../commands/db/indexes.js';
import { dbVacuumStats } from '../commands/db/vacuum-stats.js';
import { dbBloat } from '../commands/db/bloat.js';
import { dbCache } from '../commands/db/cache.js';
import { dbKillIdle } from '../commands/db/kill-idle.js';
import { dbExplain } from '../commands/db/explain.js';
import { dbMissingIndexes } from '../commands/db/missing-indexes.js';
import { dbParams } from '../commands/db/params.js';
import { query } from '../commands/query.js';

const TABLES = Number(process.env.BENCH_TABLES ?? 2000);
const RUNS = 5;
const TARGET_MS = 300;
const BATCH = 100;

async function main(): Promise<void> {
  const db = await createTestDatabase('opsbot_bench');
  const targets = new TargetDatabases(configFor(db.url));
  try {
    const setupStarted = Date.now();
    // Batches keep each transaction's lock count (table, index, TOAST) under max_locks_per_transaction.
    for (let from = 1; from <= TABLES; from += BATCH) {
      const to = Math.min(TABLES, from + BATCH - 1);
      await runSql(
        db.url,
        `DO $$ BEGIN FOR i IN ${from}..${to} LOOP
           EXECUTE format('CREATE TABLE t_%s (id int PRIMARY KEY, kind int, body text)', i);
           EXECUTE format('CREATE INDEX t_%s_kind ON t_%s (kind)', i, i);
           EXECUTE format('INSERT INTO t_%s SELECT g, g %% 10, md5(g::text) FROM generate_series(1, 40) g', i);
           EXECUTE format('DELETE FROM t_%s WHERE id %% 4 = 0', i);
         END LOOP; END $$`,
      );
    }
    await runSql(db.url, 'ANALYZE');
    await runSql(db.url, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
    console.log(
      `set up ${TABLES} tables (each with a primary key, an index, 30 rows, 10 dead) in ${((Date.now() - setupStarted) / 1000).toFixed(1)}s\n`,
    );

    const config = configFor(
      db.url,
      `queries:\n  kinds: { sql: "select kind, count(*) from t_1 group by kind order by kind" }`,
    );
    const cases: [string, CommandDefinition, Record<string, unknown>, 'run' | 'plan'][] = [
      ['db connections', dbConnections, {}, 'run'],
      ['db activity', dbActivity, { limit: 30 }, 'run'],
      ['db long --over 5s', dbLong, { over: 5000, limit: 30 }, 'run'],
      ['db locks', dbLocks, {}, 'run'],
      ['db slow', dbSlow, { by: 'mean', limit: 10 }, 'run'],
      ['db size', dbSize, {}, 'run'],
      ['db tables', dbTables, { limit: 10 }, 'run'],
      ['db indexes', dbIndexes, { limit: 20 }, 'run'],
      ['db vacuum-stats', dbVacuumStats, { limit: 15 }, 'run'],
      ['db bloat', dbBloat, { limit: 10 }, 'run'],
      ['db cache', dbCache, {}, 'run'],
      ['db kill-idle (plan)', dbKillIdle, { older: 600_000 }, 'plan'],
      [
        'db explain',
        dbExplain,
        { sql: 'select * from t_1 join t_2 using (id) where t_1.kind = 3', analyze: false },
        'run',
      ],
      [
        'db explain --analyze',
        dbExplain,
        { sql: 'select kind, count(*) from t_7 group by kind', analyze: true },
        'run',
      ],
      ['db missing-indexes', dbMissingIndexes, { limit: 20, minRows: 10_000, minScans: 50 }, 'run'],
      ['db missing-indexes (all)', dbMissingIndexes, { limit: 20, minRows: 0, minScans: 1 }, 'run'],
      ['db params (self-hosted)', dbParams, {}, 'run'],
      ['db params work_mem', dbParams, { pattern: 'work_mem' }, 'run'],
      ['query kinds', query, { name: 'kinds' }, 'run'],
    ];
    console.log(
      `${'command'.padEnd(24)}${'first'.padStart(9)}${'median'.padStart(9)}${'max'.padStart(9)}  (ms, ${RUNS} runs, pool warm)`,
    );
    let slowest = 0;
    for (const [label, command, args, method] of cases) {
      const ctx = commandContext(command, config, targets);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await runOnce(command, ctx, args, method);
        times.push(performance.now() - started);
      }
      const sorted = [...times].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      slowest = Math.max(slowest, median);
      const flag = median > TARGET_MS ? '  ✗ over target' : '';
      console.log(
        `${label.padEnd(24)}${times[0].toFixed(1).padStart(9)}${median.toFixed(1).padStart(9)}${sorted.at(-1)!.toFixed(1).padStart(9)}${flag}`,
      );
    }
    console.log(
      `\nslowest median ${slowest.toFixed(1)} ms; target < ${TARGET_MS} ms: ${slowest < TARGET_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
    await targets.closeAll();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/** One timed call: run for direct commands, plan for planned ones (a plan refused for "nothing to end" still counts). */
async function runOnce(
  command: CommandDefinition,
  ctx: CommandContext,
  args: Record<string, unknown>,
  method: 'run' | 'plan',
): Promise<void> {
  if (method === 'plan' && isPlanned(command)) {
    await command.plan(ctx, args).catch((err: unknown) => {
      if (!isUserError(err)) throw err;
    });
    return;
  }
  if (!isPlanned(command)) await command.run(ctx, args);
}
