import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { UserError } from '../../src/errors.js';
import { listVacuumTargets, resolveTable, TABLE_NAME_RE } from '../../src/probes/pg-diagnostics/tables.js';
import { qualified } from '../../src/probes/pg-diagnostics/sql.js';
import { vacuumTables } from '../../src/probes/pg-diagnostics/vacuum.js';
import { renderDbVacuumDone, vacuumJobTitle } from '../../views/db-vacuum.js';

/** Plan and job data: names as the catalogue stores them, never the URL (job data lives in Redis). */
export interface VacuumJobData {
  env: string;
  table: { schema: string; name: string } | null;
}

export const dbVacuumJob = definePlannedJob<VacuumJobData>({
  name: 'db.vacuum',
  timeoutMs: 2 * 60 * 60_000,
  // Vacuuming twice is harmless, so a job cut short by a crashed worker may be retried.
  idempotent: true,
  async run(ctx, data) {
    if (!ctx.config.environments[data.env]) throw new UserError(`Environment \`${data.env}\` is no longer configured.`);
    const targets = ctx.services.targets;
    // Looked up again: the table may have been dropped or renamed while the job waited.
    const tables = await targets.readOnly(data.env, async (db) =>
      data.table
        ? [await resolveTable(db, qualified(data.table.schema, data.table.name), data.env)]
        : listVacuumTargets(db),
    );
    const report = await vacuumTables(targets, data.env, tables, data.table ? 'table' : 'database', {
      signal: ctx.signal,
      progress: ctx.progress,
    });
    return renderDbVacuumDone(data.env, report);
  },
});

export const dbVacuum = defineCommand({
  name: 'db vacuum',
  summary: 'VACUUM (ANALYZE) one table or every table, as a job with progress',
  usage: '[env] [table]',
  examples: ['db vacuum prod orders', 'db vacuum staging'],
  risk: 'write',
  positionals: ['table'],
  args: z.object({
    table: z.string().regex(TABLE_NAME_RE, 'is not a table name; write `table` or `schema.table`').optional(),
  }),
  jobs: [dbVacuumJob],
  // Planned, so when an access rule gates it the approval runs the table resolved at request time.
  async plan(ctx, { table }) {
    // Checked now, so a typo is answered at once instead of by a failed job.
    const resolved = table ? await ctx.db().readOnly((db) => resolveTable(db, table, ctx.envName)) : undefined;
    const target = resolved ? { schema: resolved.schema, name: resolved.name } : null;
    const name = target ? qualified(target.schema, target.name) : 'every table';
    return {
      command: 'db vacuum',
      env: ctx.envName,
      args: { table },
      summary: `VACUUM (ANALYZE) ${name} in ${ctx.envName}`,
      effects: [`VACUUM (ANALYZE) ${target ? `\`${name}\`` : 'every table, one by one'} (SKIP_LOCKED), as a job`],
      targets: target ? [{ kind: 'pg-table', id: name }] : [{ kind: 'pg-database', id: ctx.envName }],
      preconditions: target ? [{ what: `table ${name} exists`, expected: true }] : [],
      data: { env: ctx.envName, table: target },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(_ctx, { data }) {
    return {
      job: { name: dbVacuumJob.name, data: { ...data }, title: vacuumJobTitle(data.env, data.table ?? undefined) },
    };
  },
});
