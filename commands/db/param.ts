import { z } from 'zod';
import { describeForChange } from '../../src/aws/rds-changes.js';
import {
  describeParameters,
  groupFamily,
  invalidParameterValue,
  isDefaultGroup,
  modifyParameter,
} from '../../src/aws/rds-parameters.js';
import { defineCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import type { Plan } from '../../src/core/plan.js';
import { UserError, requireUnchanged } from '../../src/errors.js';
import { customGroupHowTo, paramChangeEffect, renderParamChanged } from '../../views/db-params.js';
import { paramSource } from './params.js';
import { executePgParam, planPgParam, type PgParamPlanData } from './param-postgres.js';

/** The plan's data for an RDS parameter group change: the group, the parameter as it was, and the new value. */
export interface RdsParamPlanData {
  source: 'rds';
  env: string;
  instance: string;
  group: string;
  name: string;
  /** null: not set in the group (the engine's default). */
  from: string | null;
  to: string;
  applyType: 'dynamic' | 'static';
}

export type ParamPlanData = RdsParamPlanData | PgParamPlanData;

const shown = (v: string | null) => v ?? '(engine default)';

function similar(names: string[], name: string): string[] {
  const parts = name
    .toLowerCase()
    .split('_')
    .filter((p) => p.length > 2);
  return names.filter((n) => parts.some((p) => n.includes(p))).slice(0, 5);
}

function rebootHint(instance: string): string {
  return `Reboot when it suits: \`aws rds reboot-db-instance --db-instance-identifier ${instance}\` (a few minutes of downtime).`;
}

async function planRdsParam(ctx: CommandContext, name: string, value: string): Promise<Plan<RdsParamPlanData>> {
  const instance = ctx.env.rds!.instance;
  const s = ctx.aws();
  const db = await describeForChange(s, instance);
  const group = db.parameterGroup?.name;
  if (!group) throw new UserError(`\`${instance}\` reports no DB parameter group.`, 'Check it in the RDS console.');
  if (isDefaultGroup(group))
    throw new UserError(
      `\`${instance}\` uses RDS's default parameter group \`${group}\`, which cannot be changed.`,
      customGroupHowTo(instance, group, groupFamily(group)),
    );
  const all = await describeParameters(s, group);
  const p = all.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!p) {
    const near = similar(
      all.map((x) => x.name),
      name,
    );
    throw new UserError(
      `Parameter group \`${group}\` has no parameter \`${name}\`.`,
      near.length
        ? `Did you mean ${near.map((n) => `\`${n}\``).join(', ')}?`
        : `Look for it with \`/ops db params ${ctx.envName} <part of the name>\`.`,
    );
  }
  if (!p.modifiable)
    throw new UserError(`RDS does not let anyone change \`${p.name}\` (IsModifiable false).`, 'It is fixed by RDS.');
  name = p.name;
  const invalid = invalidParameterValue(p, value);
  if (invalid) throw new UserError(`${invalid}.`, `Example: \`/ops db param ${ctx.envName} ${name} <value>\`.`);
  if (p.value === value)
    throw new UserError(
      `\`${name}\` already is ${value} in \`${group}\`; nothing to change.`,
      `See it with \`/ops db params ${ctx.envName} ${name}\`.`,
    );
  const from = p.value ?? null;
  const effect = p.applyType === 'static' ? 'pending-reboot' : 'immediate';
  const where = `RDS parameter group \`${group}\` (of \`${instance}\`)`;
  return {
    command: 'db param',
    env: ctx.envName,
    args: { name, value },
    summary: `Set ${name} = ${value} in parameter group ${group}${p.applyType === 'static' ? ' (needs a reboot)' : ''}`,
    effects: [
      paramChangeEffect({
        env: ctx.envName,
        where,
        name,
        from: shown(from),
        to: value,
        effect,
        reboot: p.applyType === 'static' ? rebootHint(instance) : undefined,
      }),
    ],
    targets: [{ kind: 'rds-parameter-group', id: group, detail: `instance ${instance}` }],
    preconditions: [
      { what: `${instance} uses parameter group`, expected: group },
      { what: `${name} in ${group} is (null: engine default)`, expected: from },
    ],
    data: { source: 'rds', env: ctx.envName, instance, group, name, from, to: value, applyType: p.applyType },
    plannedAt: ctx.services.clock().toISOString(),
  };
}

async function executeRdsParam(ctx: CommandContext, data: RdsParamPlanData) {
  const s = ctx.aws({ deadlineMs: 10_000 });
  const again = `Look with \`/ops db params ${data.env} ${data.name}\`, then ask again with \`/ops db param ${data.env} ${data.name} ${data.to}\`.`;
  const db = await describeForChange(s, data.instance);
  requireUnchanged(
    db.parameterGroup?.name === data.group,
    `\`${data.instance}\` now uses parameter group \`${db.parameterGroup?.name ?? 'none'}\`, not \`${data.group}\` as when this was approved; nothing was changed.`,
    again,
  );
  const live = (await describeParameters(s, data.group)).find((p) => p.name === data.name);
  requireUnchanged(
    (live?.value ?? null) === data.from,
    `\`${data.name}\` in \`${data.group}\` is now ${shown(live?.value ?? null)}, not ${shown(data.from)} as when this was approved; nothing was changed.`,
    again,
  );
  const effect = await modifyParameter(s, data.group, { name: data.name, applyType: data.applyType }, data.to);
  ctx.log.info({ group: data.group, name: data.name, from: data.from, to: data.to, effect }, 'db param changed');
  return renderParamChanged({
    env: data.env,
    where: `RDS parameter group \`${data.group}\``,
    name: data.name,
    from: shown(data.from),
    to: data.to,
    effect,
    reboot: effect === 'pending-reboot' ? rebootHint(data.instance) : undefined,
  });
}

export const dbParam = defineCommand({
  name: 'db param',
  summary:
    'Change one database parameter (RDS parameter group, or ALTER SYSTEM when self-hosted); says when a reboot is needed',
  usage: '[env] <name> <value>',
  examples: ['db param prod log_min_duration_statement 1000', 'db param prod max_connections 200'],
  risk: 'dangerous',
  positionals: ['name', 'value'],
  args: z.object({
    name: z
      .string({ error: 'is required: a parameter name such as `log_min_duration_statement`' })
      .regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'is not a parameter name (letters, digits, `_` and `.`)'),
    value: z.string({ error: 'is required: the new value, such as `1000`' }).min(1),
  }),
  plan: (ctx, { name, value }): Promise<Plan<ParamPlanData>> =>
    paramSource(ctx) === 'rds' ? planRdsParam(ctx, name, value) : planPgParam(ctx, name, value),
  async execute(ctx, { data }) {
    return data.source === 'rds' ? executeRdsParam(ctx, data) : executePgParam(ctx, data);
  },
});
