import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { cell, envContext, tableSections } from './db-format.js';
import type { Reply, Tone } from './reply.js';
import type { AlarmSpec, Finding } from '../src/aws/alarm-judge.js';

export interface AlarmAuditView {
  env: string;
  /** The guide's name and section, e.g. "Expo Maintenance and Operations Guide → Setting Up Alerts". */
  source: string;
  findings: Finding[];
  /** DescribeAlarms had more pages than were read. */
  truncated: boolean;
  notes: string[];
}

const MARK = { ok: '✓ ok', differs: '≠ differs', missing: '✗ missing' } as const;

/** `/ops alarms audit`: the guide's alarms for this stack, each found, differing or missing. */
export function renderAlarmAudit(v: AlarmAuditView): Reply {
  const checked = v.findings.filter((f) => f.status !== 'skipped');
  const missing = checked.filter((f) => f.status === 'missing');
  const differs = checked.filter((f) => f.status === 'differs');
  const skipped = v.findings.filter((f) => f.status === 'skipped');
  const tone: Tone = missing.some((f) => f.rec.level === 'critical')
    ? 'danger'
    : missing.length || differs.length
      ? 'warning'
      : 'ok';
  const icon = { ok: ':large_green_circle:', warning: ':large_yellow_circle:', danger: ':red_circle:' }[
    tone as 'ok' | 'warning' | 'danger'
  ];
  const verdict =
    missing.length || differs.length
      ? `${icon} *${v.env}: ${missing.length} of ${checked.length} recommended alarm${checked.length === 1 ? '' : 's'} missing, ${differs.length} misconfigured*`
      : `${icon} *${v.env}: all ${checked.length} recommended alarms are in place*`;
  const rows = checked.map((f) => [
    cell(f.rec.title, 46),
    cell(f.spec.about, 40),
    f.rec.level,
    MARK[f.status],
    cell(f.status === 'missing' ? f.spec.name : (f.existing ?? ''), 60),
  ]);
  const blocks: KnownBlock[] = [section(verdict)];
  if (rows.length) blocks.push(...tableSections(['guide says', 'about', 'level', '', 'alarm'], rows));
  if (differs.length)
    blocks.push(
      section(
        differs
          .map(
            (f) =>
              `• \`${escapeMrkdwn(f.existing ?? '?')}\` (${escapeMrkdwn(f.rec.title)}): ${escapeMrkdwn(f.problems.join('; '))}`,
          )
          .join('\n'),
      ),
    );
  if (skipped.length)
    blocks.push(
      section(
        skipped
          .map((f) =>
            f.status === 'skipped' ? `• not checked: ${escapeMrkdwn(f.rec.title)} — ${escapeMrkdwn(f.why)}` : '',
          )
          .join('\n'),
      ),
    );
  if (v.truncated)
    blocks.push(section(':warning: More than 500 alarms in the region: only the first 500 were compared.'));
  blocks.push(
    envContext(
      v.env,
      `guide: ${v.source}`,
      missing.length ? 'create the missing ones with `/ops alarms audit --create`' : undefined,
      ...v.notes,
    ),
  );
  return { text: verdict.replace(/[*]|:[a-z_]+: /g, ''), tone, blocks };
}

export function alarmCreateEffect(env: string, specs: AlarmSpec[], topic: string): string {
  return `Create ${specs.length} CloudWatch alarm${specs.length === 1 ? '' : 's'} in ${env} (PutMetricAlarm), notifying ${topic} on ALARM and OK: ${specs
    .map((s) => `\`${s.name}\``)
    .join(', ')}.`;
}

export function renderAlarmsCreated(env: string, specs: AlarmSpec[], topic: string): Reply {
  const text = `${env}: ${specs.length} recommended alarm${specs.length === 1 ? '' : 's'} created`;
  return {
    text,
    tone: 'ok',
    blocks: [
      section(`:white_check_mark: *${text}*, notifying \`${escapeMrkdwn(topic)}\``),
      section(
        specs
          .map((s) => `• \`${escapeMrkdwn(s.name)}\` — ${escapeMrkdwn(s.description)} (${escapeMrkdwn(s.about)})`)
          .join('\n'),
      ),
    ],
  };
}
