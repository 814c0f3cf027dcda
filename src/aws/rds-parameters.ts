import type { Parameter } from '@aws-sdk/client-rds';
import { UserError } from '../errors.js';
import type { AwsSession } from './session.js';
import { rds } from './sdk.js';

/** One parameter of a DB parameter group, as DescribeDBParameters gives it. */
export interface RdsParameter {
  name: string;
  /** Absent: not set in the group (the engine's default applies). */
  value?: string;
  /** dynamic: can apply at once; static: only at the next reboot. */
  applyType: 'dynamic' | 'static';
  dataType?: string;
  /** "-1-2147483647", "0,1", "debug5,debug4,…" */
  allowedValues?: string;
  modifiable: boolean;
  /** engine-default, system, user */
  source?: string;
  description?: string;
}

function toParameter(p: Parameter): RdsParameter {
  return {
    name: p.ParameterName ?? '?',
    value: p.ParameterValue,
    applyType: p.ApplyType === 'static' ? 'static' : 'dynamic',
    dataType: p.DataType,
    allowedValues: p.AllowedValues,
    modifiable: p.IsModifiable ?? false,
    source: p.Source,
    description: p.Description,
  };
}

/** A Postgres group has ~350 parameters (4 pages of 100); this bounds a runaway Marker loop. */
const MAX_PAGES = 20;

/** Every parameter of a group, page by page (DescribeDBParameters has no working server-side filter). */
export async function describeParameters(s: AwsSession, group: string): Promise<RdsParameter[]> {
  const out: RdsParameter[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await s.call('rds:DescribeDBParameters', (abortSignal) =>
      s.clients.rds.send(
        new rds.DescribeDBParametersCommand({ DBParameterGroupName: group, MaxRecords: 100, Marker: marker }),
        {
          abortSignal,
        },
      ),
    );
    out.push(...(res.Parameters ?? []).map(toParameter));
    marker = res.Marker;
    if (!marker) break;
  }
  return out;
}

/** RDS's own groups (default.postgres16) cannot be modified. */
export function isDefaultGroup(name: string): boolean {
  return name.startsWith('default.');
}

/** The family of a default group ("default.postgres16" → "postgres16"), for the create command we suggest. */
export function groupFamily(name: string): string | undefined {
  return isDefaultGroup(name) ? name.slice('default.'.length) : undefined;
}

/**
 * Why `value` is not accepted for `p`, from its DataType and AllowedValues; undefined when it looks fine.
 * Formulas ({DBInstanceClassMemory/9531392}) are left for RDS to judge.
 */
export function invalidParameterValue(p: RdsParameter, value: string): string | undefined {
  if (value.startsWith('{')) return undefined;
  const allowed = p.allowedValues?.trim();
  const range = allowed ? /^(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)$/.exec(allowed) : null;
  if (p.dataType === 'integer' || p.dataType === 'float' || range) {
    const pattern = p.dataType === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
    if (!pattern.test(value))
      return `\`${p.name}\` takes ${p.dataType === 'integer' ? 'a whole number' : 'a number'}${allowed ? ` in ${allowed}` : ''}, not \`${value}\``;
    if (range && (Number(value) < Number(range[1]) || Number(value) > Number(range[2])))
      return `\`${p.name}\` must be in ${range[1]}…${range[2]}, not ${value}`;
    return undefined;
  }
  if (allowed && allowed.includes(',') && !/\s/.test(allowed)) {
    const options = allowed.split(',');
    if (!options.includes(value))
      return `\`${p.name}\` takes one of ${options.map((o) => `\`${o}\``).join(', ')}, not \`${value}\``;
  }
  return undefined;
}

/** ModifyDBParameterGroup for one parameter: immediate for a dynamic one, pending-reboot for a static one. */
export async function modifyParameter(
  s: AwsSession,
  group: string,
  p: Pick<RdsParameter, 'name' | 'applyType'>,
  value: string,
): Promise<'immediate' | 'pending-reboot'> {
  const applyMethod = p.applyType === 'static' ? 'pending-reboot' : 'immediate';
  await s.call('rds:ModifyDBParameterGroup', async (abortSignal) => {
    try {
      return await s.clients.rds.send(
        new rds.ModifyDBParameterGroupCommand({
          DBParameterGroupName: group,
          Parameters: [{ ParameterName: p.name, ParameterValue: value, ApplyMethod: applyMethod }],
        }),
        { abortSignal },
      );
    } catch (err) {
      const e = err as { name?: string; message?: string };
      const detail = (e.message ?? '').split('\n')[0];
      if (e.name === 'InvalidParameterValue' || e.name === 'InvalidParameterCombination')
        throw new UserError(
          `RDS refused ${p.name} = ${value}: ${detail || e.name}.`,
          `See the allowed values with \`/ops db params ${p.name}\`.`,
        );
      if (e.name?.startsWith('InvalidDBParameterGroupState'))
        throw new UserError(
          `RDS refused the change: parameter group \`${group}\` is busy (${detail || e.name}).`,
          'Try again in a minute.',
        );
      throw err;
    }
  });
  return applyMethod;
}
