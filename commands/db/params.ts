import { z } from 'zod';
import { describeForChange } from '../../src/aws/rds-changes.js';
import { describeParameters, isDefaultGroup, type RdsParameter } from '../../src/aws/rds-parameters.js';
import { defineCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import { UserError } from '../../src/errors.js';
import { listSettings, settingEffect, type PgSetting } from '../../src/probes/pg-diagnostics/settings.js';
import { renderParams, type ParamRow } from '../../views/db-params.js';

/** Where an environment's parameters live: its RDS instance's parameter group, else its own Postgres. */
export function paramSource(ctx: CommandContext): 'rds' | 'postgres' {
  if (ctx.env.rds) return 'rds';
  if (ctx.env.database) return 'postgres';
  throw new UserError(
    `\`${ctx.envName}\` has neither an RDS instance nor a database configured.`,
    `Add \`rds: { instance: … }\` or \`database: { url: … }\` to environments.${ctx.envName} in ops.yml.`,
  );
}

/** "log_*" or "log_min": a case-insensitive substring, `*` as a wildcard. */
export function matches(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  const re = new RegExp(
    pattern
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*'),
  );
  return (name) => re.test(name.toLowerCase());
}

export const rdsRow = (p: RdsParameter): ParamRow => ({
  name: p.name,
  value: p.value ?? '(engine default)',
  applies: p.applyType === 'static' ? 'static (reboot)' : 'dynamic',
  allowed: p.modifiable ? p.allowedValues : 'not modifiable',
});

const APPLIES: Record<string, string> = {
  reload: 'reload',
  'new-sessions': 'new sessions',
  restart: 'restart',
  never: 'fixed',
};

export const pgRow = (s: PgSetting): ParamRow => ({
  name: s.name,
  value: `${s.setting}${s.unit ? ` ${s.unit}` : ''}`,
  applies: APPLIES[settingEffect(s.context)],
  allowed: s.enumvals ? s.enumvals.join(',') : s.minVal !== null ? `${s.minVal}…${s.maxVal}` : s.vartype,
  pending: s.pendingRestart,
});

async function rdsParams(ctx: CommandContext, pattern?: string) {
  const instance = ctx.env.rds!.instance;
  const s = ctx.aws();
  const db = await describeForChange(s, instance);
  const group = db.parameterGroup?.name;
  if (!group) throw new UserError(`\`${instance}\` reports no DB parameter group.`, 'Check it in the RDS console.');
  const all = await describeParameters(s, group);
  const rows = (pattern ? all.filter((p) => matches(pattern)(p.name)) : all.filter((p) => p.source === 'user')).map(
    rdsRow,
  );
  return renderParams({
    env: ctx.envName,
    where: `parameter group \`${group}\` of \`${instance}\`${db.parameterGroup?.status && db.parameterGroup.status !== 'in-sync' ? ` (${db.parameterGroup.status})` : ''}`,
    pattern,
    rows,
    total: all.length,
    scope: `The ${rows.length} ${rows.length === 1 ? 'parameter' : 'parameters'} set in this group`,
    note: isDefaultGroup(group)
      ? "this is RDS's default group, which cannot be changed: `/ops db param` says how to make a custom one"
      : pattern
        ? undefined
        : 'give a pattern to see the others, e.g. `log_`',
  });
}

async function pgParams(ctx: CommandContext, pattern?: string) {
  const all = await ctx.db().readOnly((db) => listSettings(db));
  const changed = (s: PgSetting) =>
    !['default', 'override', 'client', 'session'].includes(s.source) || s.pendingRestart;
  const rows = all.filter(pattern ? (s) => matches(pattern)(s.name) : changed).map(pgRow);
  return renderParams({
    env: ctx.envName,
    where: 'Postgres settings (pg_settings)',
    pattern,
    rows,
    total: all.length,
    scope: `The ${rows.length} ${rows.length === 1 ? 'setting' : 'settings'} not at their built-in default`,
    note: pattern ? undefined : 'give a pattern to see the others, e.g. `log_`',
  });
}

export const dbParams = defineCommand({
  name: 'db params',
  summary: "The database's parameters (RDS parameter group, or pg_settings when self-hosted), filtered by a pattern",
  usage: '[env] [pattern]',
  examples: ['db params', 'db params prod log_min', 'db params prod max_connections'],
  risk: 'read',
  positionals: ['pattern'],
  args: z.object({ pattern: z.string().min(1).optional() }),
  async run(ctx, { pattern }) {
    return paramSource(ctx) === 'rds' ? rdsParams(ctx, pattern) : pgParams(ctx, pattern);
  },
});
