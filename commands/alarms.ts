import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { OpsConfig } from '../src/config/schema.js';
import { describeAlarms } from '../src/aws/cloudwatch.js';
import { renderAlarms } from '../views/alarms.js';

/** "*-db-*" → a whole-name match, as the alert routes in ops.yml mean it. */
function globMatches(glob: string, name: string): boolean {
  const re = new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(name);
}

/** The severity the alert routes give an alarm, so the most severe are listed first. */
function severityFor(config: OpsConfig, alarmName: string): string | undefined {
  return config.alerts.routes.find((r) => r.severity && r.match.alarmName && globMatches(r.match.alarmName, alarmName))
    ?.severity;
}

export const alarms = defineCommand({
  name: 'alarms',
  summary: 'CloudWatch alarms in ALARM (every state with --all), most severe and newest first',
  usage: '[env] [--all]',
  examples: ['alarms', 'alarms prod --all'],
  risk: 'read',
  args: z.object({ all: z.boolean().default(false) }),
  async run(ctx, args) {
    const started = Date.now();
    const s = ctx.aws();
    const prefix = ctx.env.alarms?.prefix;
    const list = await describeAlarms(s, { all: args.all, prefix });
    return renderAlarms({
      env: ctx.envName,
      region: s.region,
      checkedAt: ctx.services.clock(),
      tookMs: Date.now() - started,
      all: args.all,
      prefix,
      alarms: list.alarms.map((a) => ({ ...a, severity: severityFor(ctx.config, a.name) })),
      truncated: list.truncated,
      notes: s.notes,
    });
  },
});
