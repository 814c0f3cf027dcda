import type { CommandContext } from '../../src/core/context.js';
import type { EnvironmentConfig, OpsConfig } from '../../src/config/schema.js';
import { ALARM_GUIDE_TABLE, type AlarmGuide } from '../../src/config/guide-alarms.js';
import { UserError } from '../../src/errors.js';
import { describeMetricAlarms, resolveAlarmResources } from '../../src/aws/alarm-audit.js';
import { concreteAlarms, judgeAlarms, type Finding } from '../../src/aws/alarm-judge.js';
import type { AwsSession } from '../../src/aws/session.js';

/** The stack's guide: `alarms.guide`, else Expo on Beanstalk (it runs there), SoleMate on ECS. */
export function guideFor(env: EnvironmentConfig): AlarmGuide {
  return ALARM_GUIDE_TABLE[env.alarms?.guide ?? (env.ecs && !env.beanstalk ? 'solemate' : 'expo')];
}

/** Alarms opsbot creates start with the environment's alarm prefix, so alert routing knows their environment. */
export const alarmPrefix = (envName: string, env: EnvironmentConfig) =>
  (env.alarms?.prefix ?? `opsbot-${envName}`).replace(/-+$/, '');

/** The SNS topic new alarms notify: `alarms.snsTopic`, else the one topic of `alerts.snsTopics`. */
export function snsTopicFor(envName: string, env: EnvironmentConfig, config: OpsConfig): string {
  if (env.alarms?.snsTopic) return env.alarms.snsTopic;
  const plain = config.alerts.snsTopics.filter((t) => !t.includes('*'));
  if (plain.length === 1) return plain[0];
  throw new UserError(
    `\`${envName}\` has no SNS topic for the alarms opsbot would create${plain.length > 1 ? ` (alerts.snsTopics lists ${plain.length}, so opsbot will not guess)` : ''}.`,
    `Add \`alarms: { prefix: ${alarmPrefix(envName, env)}, snsTopic: arn:aws:sns:<region>:<account>:<topic> }\` to environments.${envName} in ops.yml — the topic opsbot's alert intake receives.`,
  );
}

export async function auditAlarms(
  ctx: CommandContext,
  s: AwsSession,
): Promise<{ guide: AlarmGuide; findings: Finding[]; truncated: boolean }> {
  const guide = guideFor(ctx.env);
  const [resources, existing] = await Promise.all([
    resolveAlarmResources(s, ctx.envName, ctx.env, new Set(guide.alarms.map((a) => a.resource))),
    describeMetricAlarms(s),
  ]);
  const concrete = concreteAlarms(guide, resources, alarmPrefix(ctx.envName, ctx.env));
  return { guide, findings: judgeAlarms(concrete, existing.alarms), truncated: existing.truncated };
}
