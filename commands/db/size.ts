import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { queryDatabaseSize } from '../../src/probes/pg-diagnostics/sizes.js';
import { daysUntilFull, growthOf } from '../../src/probes/pg-diagnostics/growth.js';
import { describeRdsInstance, latestFreeStorageGb } from '../../src/aws/rds.js';
import { renderDbSize } from '../../views/db-size.js';
import type { DbGrowthView } from '../../views/db-growth.js';
import { dbSizeRecordJob, recordSize } from './size-record.js';

const WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export const dbSize = defineCommand({
  name: 'db size',
  summary: 'Database size on disk, the largest tables, growth over 30 days and when storage is full',
  usage: '[env]',
  examples: ['db size', 'db size staging'],
  risk: 'read',
  args: z.object({}),
  jobs: [dbSizeRecordJob],
  async run(ctx) {
    const size = await ctx.db().readOnly((db) => queryDatabaseSize(db));
    // Today's sample from this measurement too, so the history starts before the first nightly run.
    await Promise.resolve()
      .then(() => recordSize(ctx.services, ctx.envName, size))
      .catch((err: Error) => ctx.log.warn({ err: err.message }, 'database size sample not stored'));
    return renderDbSize(ctx.envName, size, await growthView(ctx));
  },
});

async function growthView(ctx: CommandContext): Promise<DbGrowthView> {
  const now = ctx.services.clock();
  // The history is opsbot's own store: when it cannot answer, today's size is still worth showing.
  const samples = await Promise.resolve()
    .then(() => ctx.services.dbSizes.history(ctx.envName, WINDOW_DAYS, now))
    .catch((err: Error) => {
      ctx.log.warn({ err: err.message }, 'database size history unavailable');
      return [];
    });
  const today = Math.floor(now.getTime() / DAY_MS);
  const byDay = new Map(samples.map((s) => [Math.floor(Date.parse(`${s.day}T00:00:00Z`) / DAY_MS), s.databaseBytes]));
  const daily = Array.from({ length: WINDOW_DAYS }, (_, i) => byDay.get(today - WINDOW_DAYS + 1 + i) ?? null);
  const growth = growthOf(samples.map((s) => ({ at: Date.parse(`${s.day}T00:00:00Z`), bytes: s.databaseBytes })));
  const view: DbGrowthView = { daily, days: WINDOW_DAYS, growth };
  const rds = ctx.env.rds;
  if (!rds) return { ...view, storageNote: 'no `rds` configured, so the size of the disk is unknown' };
  try {
    const session = ctx.aws();
    const [instance, freeGb] = [
      await describeRdsInstance(session, rds.instance),
      await latestFreeStorageGb(session, rds.instance, now),
    ];
    return {
      ...view,
      storage: { allocatedGb: instance.allocatedGb, freeGb, maxAllocatedGb: instance.maxAllocatedGb },
      daysLeft: freeGb === undefined ? undefined : daysUntilFull(freeGb * 1024 ** 3, growth),
      storageNote: freeGb === undefined ? 'RDS reported no FreeStorageSpace in the last hour' : undefined,
    };
  } catch (err) {
    return { ...view, storageNote: `storage unknown: ${(err as Error).message}` };
  }
}
