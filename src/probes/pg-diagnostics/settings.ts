import pg from 'pg';
import { UserError } from '../../errors.js';
import type { Queryable } from '../target-postgres.js';

/** One row of pg_settings, for a self-hosted database's `/ops db params` and `db param`. */
export interface PgSetting {
  name: string;
  setting: string;
  unit: string | null;
  /** internal, postmaster, sighup, superuser-backend, backend, superuser, user */
  context: string;
  vartype: string;
  minVal: string | null;
  maxVal: string | null;
  enumvals: string[] | null;
  description: string;
  source: string;
  pendingRestart: boolean;
}

const COLUMNS = `name, setting, unit, context, vartype, min_val, max_val, enumvals, short_desc, source, pending_restart`;

function toSetting(r: Record<string, unknown>): PgSetting {
  return {
    name: String(r.name),
    setting: String(r.setting ?? ''),
    unit: (r.unit as string | null) ?? null,
    context: String(r.context),
    vartype: String(r.vartype),
    minVal: (r.min_val as string | null) ?? null,
    maxVal: (r.max_val as string | null) ?? null,
    enumvals: (r.enumvals as string[] | null) ?? null,
    description: String(r.short_desc ?? ''),
    source: String(r.source ?? ''),
    pendingRestart: r.pending_restart === true,
  };
}

/** Settings whose name contains `pattern` (case-insensitive; `*` is a wildcard), by name. */
export async function listSettings(db: Queryable, pattern?: string): Promise<PgSetting[]> {
  const like = pattern ? `%${pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%')}%` : '%';
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM pg_settings WHERE name ILIKE $1 ORDER BY name`, [like]);
  return rows.map(toSetting);
}

export async function getSetting(db: Queryable, name: string): Promise<PgSetting | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM pg_settings WHERE name = $1`, [name.toLowerCase()]);
  return rows[0] ? toSetting(rows[0]) : undefined;
}

/** How a change under ALTER SYSTEM takes effect, by pg_settings.context. */
export type SettingEffect = 'reload' | 'new-sessions' | 'restart' | 'never';

export function settingEffect(context: string): SettingEffect {
  if (context === 'internal') return 'never';
  if (context === 'postmaster') return 'restart';
  if (context === 'backend' || context === 'superuser-backend') return 'new-sessions';
  return 'reload';
}

/** Why `value` is not accepted for `s`, from its type, range and enum values; undefined when Postgres should judge. */
export function invalidSettingValue(s: PgSetting, value: string): string | undefined {
  if (s.vartype === 'bool' && !/^(on|off|true|false|yes|no|1|0)$/i.test(value))
    return `\`${s.name}\` is on or off, not \`${value}\``;
  if (s.vartype === 'enum' && s.enumvals && !s.enumvals.includes(value.toLowerCase()))
    return `\`${s.name}\` takes one of ${s.enumvals.map((v) => `\`${v}\``).join(', ')}, not \`${value}\``;
  if ((s.vartype === 'integer' || s.vartype === 'real') && /^-?\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if ((s.minVal !== null && n < Number(s.minVal)) || (s.maxVal !== null && n > Number(s.maxVal)))
      return `\`${s.name}\` must be in ${s.minVal}…${s.maxVal}${s.unit ? ` (${s.unit})` : ''}, not ${value}`;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * ALTER SYSTEM SET, then pg_reload_conf(). The name was read back from pg_settings at plan time, so it is quoted as
 * an identifier; the value is a literal (Postgres validates it). Returns the setting as this session then sees it:
 * reloading is asynchronous, so it is read again for up to ~2 s until the value or pending_restart moved.
 */
export async function applySetting(db: Queryable, before: PgSetting, value: string): Promise<PgSetting> {
  try {
    await db.query(`ALTER SYSTEM SET ${pg.escapeIdentifier(before.name)} = ${pg.escapeLiteral(value)}`);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === '42501')
      throw new UserError(
        `Postgres refused ALTER SYSTEM: ${e.message ?? 'permission denied'}.`,
        `ALTER SYSTEM needs a superuser, or on Postgres 15+: \`GRANT ALTER SYSTEM ON PARAMETER ${before.name} TO <opsbot's user>\`.`,
      );
    if (e.code === '22023' || e.code === '22P02')
      throw new UserError(
        `Postgres refused ${before.name} = ${value}: ${e.message ?? 'invalid value'}.`,
        `See what it takes with \`/ops db params ${before.name}\`.`,
      );
    throw err;
  }
  await db.query('SELECT pg_reload_conf()');
  let now = before;
  for (let i = 0; i < 40; i++) {
    now = (await getSetting(db, before.name)) ?? before;
    if (now.setting !== before.setting || now.pendingRestart) break;
    await sleep(50);
  }
  return now;
}
