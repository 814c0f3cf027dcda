import type { CommandContext } from '../../src/core/context.js';
import type { Plan } from '../../src/core/plan.js';
import { UserError, requireUnchanged } from '../../src/errors.js';
import {
  applySetting,
  getSetting,
  invalidSettingValue,
  listSettings,
  settingEffect,
  type PgSetting,
} from '../../src/probes/pg-diagnostics/settings.js';
import { paramChangeEffect, renderParamChanged } from '../../views/db-params.js';

/** The plan's data for a self-hosted database: the setting as pg_settings showed it, and the new value. */
export interface PgParamPlanData {
  source: 'postgres';
  env: string;
  name: string;
  from: string;
  unit: string | null;
  context: string;
  to: string;
}

const withUnit = (value: string, unit: string | null) =>
  unit && /^-?\d+(\.\d+)?$/.test(value) ? `${value} ${unit}` : value;
const WHERE = 'Postgres (ALTER SYSTEM, postgresql.auto.conf)';

function restartHint(name: string): string {
  return `Restart Postgres when it suits (e.g. \`sudo systemctl restart postgresql\`, or \`/ops restart\` for its container); until then pg_settings shows \`${name}\` with pending_restart.`;
}

export async function planPgParam(ctx: CommandContext, name: string, value: string): Promise<Plan<PgParamPlanData>> {
  const { setting, near } = await ctx.db().readOnly(async (db) => {
    const setting = await getSetting(db, name);
    const part = name
      .toLowerCase()
      .split('_')
      .sort((a, b) => b.length - a.length)[0];
    return { setting, near: setting ? [] : (await listSettings(db, part)).slice(0, 5) };
  });
  if (!setting)
    throw new UserError(
      `Postgres has no setting \`${name}\`.`,
      near.length
        ? `Did you mean ${near.map((s: PgSetting) => `\`${s.name}\``).join(', ')}?`
        : `Look for it with \`/ops db params ${ctx.envName} <part of the name>\`.`,
    );
  const effect = settingEffect(setting.context);
  if (effect === 'never')
    throw new UserError(
      `\`${setting.name}\` is fixed when Postgres is built or initialised (context internal); it cannot be set.`,
      'Nothing to do here.',
    );
  const invalid = invalidSettingValue(setting, value);
  if (invalid) throw new UserError(`${invalid}.`, `Example: \`/ops db param ${ctx.envName} ${setting.name} <value>\`.`);
  if (setting.setting === value)
    throw new UserError(
      `\`${setting.name}\` already is ${withUnit(value, setting.unit)}; nothing to change.`,
      `See it with \`/ops db params ${ctx.envName} ${setting.name}\`.`,
    );
  const from = withUnit(setting.setting, setting.unit);
  return {
    command: 'db param',
    env: ctx.envName,
    args: { name, value },
    summary: `Set ${setting.name} = ${value} on the ${ctx.envName} Postgres${effect === 'restart' ? ' (needs a restart)' : ''}`,
    effects: [
      paramChangeEffect({
        env: ctx.envName,
        where: WHERE,
        name: setting.name,
        from,
        to: value,
        effect,
        reboot: effect === 'restart' ? restartHint(setting.name) : undefined,
      }),
    ],
    targets: [{ kind: 'pg-setting', id: setting.name, detail: `context ${setting.context}` }],
    preconditions: [{ what: `${setting.name} is`, expected: setting.setting }],
    data: {
      source: 'postgres',
      env: ctx.envName,
      name: setting.name,
      from: setting.setting,
      unit: setting.unit,
      context: setting.context,
      to: value,
    },
    plannedAt: ctx.services.clock().toISOString(),
  };
}

export async function executePgParam(ctx: CommandContext, data: PgParamPlanData) {
  // ALTER SYSTEM cannot run inside a transaction block: an autocommit connection.
  const after = await ctx.db().execute(async (db) => {
    const live = await getSetting(db, data.name);
    requireUnchanged(
      live !== undefined && live.setting === data.from,
      `\`${data.name}\` is now ${live ? withUnit(live.setting, live.unit) : 'gone'}, not ${withUnit(data.from, data.unit)} as when this was approved; nothing was changed.`,
      `Look with \`/ops db params ${data.env} ${data.name}\`, then ask again with \`/ops db param ${data.env} ${data.name} ${data.to}\`.`,
    );
    return applySetting(db, live!, data.to);
  });
  const effect = after.pendingRestart ? 'restart' : settingEffect(data.context);
  ctx.log.info({ name: data.name, from: data.from, to: data.to, effect }, 'db param changed (ALTER SYSTEM)');
  return renderParamChanged({
    env: data.env,
    where: WHERE,
    name: data.name,
    from: withUnit(data.from, data.unit),
    to: data.to,
    after: `${withUnit(after.setting, after.unit)}${after.pendingRestart ? ' (pending_restart)' : ''}`,
    effect,
    reboot: effect === 'restart' ? restartHint(data.name) : undefined,
  });
}
