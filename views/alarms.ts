import { context, escapeMrkdwn, section, truncate, type KnownBlock } from './blocks.js';
import { ago, footer, plural, stamp } from './aws-common.js';
import { takeWithMore } from './limits.js';
import type { Reply, ReplyFile } from './reply.js';

export type AlarmStateView = 'ALARM' | 'INSUFFICIENT_DATA' | 'OK';

export interface AlarmView {
  name: string;
  type: 'metric' | 'composite';
  state: AlarmStateView;
  reason: string;
  description?: string;
  updatedAt?: Date;
  metric?: string;
  condition?: string;
  actionsEnabled: boolean;
  /** From the alert routes in ops.yml (P0–P4), when one matches the alarm's name. */
  severity?: string;
}

export interface AlarmsView {
  env: string;
  region?: string;
  checkedAt: Date;
  tookMs: number;
  all: boolean;
  prefix?: string;
  alarms: AlarmView[];
  truncated: boolean;
  notes: string[];
}

const STATE_RANK: Record<AlarmStateView, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };
const STATE_ICON: Record<AlarmStateView, string> = {
  ALARM: ':red_circle:',
  INSUFFICIENT_DATA: ':white_circle:',
  OK: ':large_green_circle:',
};
const STATE_WORD: Record<AlarmStateView, string> = {
  ALARM: 'in ALARM',
  INSUFFICIENT_DATA: 'with insufficient data',
  OK: 'OK',
};
const DETAILED = 12;

/** Most severe first: state, then the route's severity (P0 before P4, none last), then newest. */
export function sortAlarms(alarms: AlarmView[]): AlarmView[] {
  const sev = (a: AlarmView) => (a.severity ? Number(a.severity.slice(1)) : 9);
  return [...alarms].sort(
    (a, b) =>
      STATE_RANK[a.state] - STATE_RANK[b.state] ||
      sev(a) - sev(b) ||
      (b.updatedAt?.getTime() ?? 0) - (a.updatedAt?.getTime() ?? 0),
  );
}

export function alarmConsoleUrl(region: string, name: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}

function nameLink(a: AlarmView, region: string | undefined): string {
  // Slack links break on "|" and ">" in the label.
  const label = escapeMrkdwn(a.name).replace(/\|/g, '¦');
  return region ? `<${alarmConsoleUrl(region, a.name)}|${label}>` : label;
}

function detail(a: AlarmView, region: string | undefined, now: Date): string {
  const since = a.updatedAt ? ` for *${ago(a.updatedAt, now).replace(/ ago$/, '')}*` : '';
  const lines = [
    `${STATE_ICON[a.state]} *${nameLink(a, region)}*${a.type === 'composite' ? ' (composite)' : ''}${a.severity ? ` · ${a.severity}` : ''} — ${STATE_WORD[a.state]}${since}`,
  ];
  if (a.reason) lines.push(`> ${escapeMrkdwn(truncate(a.reason, 500))}`);
  const what = [a.metric && `\`${escapeMrkdwn(a.metric)}\``, a.condition && escapeMrkdwn(truncate(a.condition, 300))]
    .filter(Boolean)
    .join(' ');
  if (what) lines.push(a.type === 'composite' ? `Rule: ${what}` : `${what}`);
  if (a.description) lines.push(`_${escapeMrkdwn(truncate(a.description, 200))}_`);
  if (!a.actionsEnabled) lines.push(':mute: actions disabled: nobody is notified');
  return lines.join('\n');
}

function fileText(view: AlarmsView, alarms: AlarmView[]): string {
  return (
    alarms
      .map((a) =>
        [
          `[${a.state}] ${a.name}${a.type === 'composite' ? ' (composite)' : ''}${a.severity ? ` ${a.severity}` : ''}`,
          a.updatedAt ? `  since ${stamp(a.updatedAt)}` : '',
          a.reason && `  reason: ${a.reason}`,
          a.metric && `  metric: ${a.metric}`,
          a.condition && `  condition: ${a.condition}`,
        ]
          .filter(Boolean)
          .join('\n'),
      )
      .join('\n\n') + `\n\n(${view.env}, ${stamp(view.checkedAt)})\n`
  );
}

/** `/ops alarms`: alarms in ALARM (all states with --all), most severe and newest first, each with why and since when. */
export function renderAlarms(view: AlarmsView): Reply {
  const alarms = sortAlarms(view.alarms);
  const count = (s: AlarmStateView) => alarms.filter((a) => a.state === s).length;
  const firing = count('ALARM');
  const scope = view.prefix ? ` matching \`${escapeMrkdwn(view.prefix)}*\`` : '';
  let verdict: string;
  if (view.all) {
    const parts = [`${firing} in ALARM`, `${count('INSUFFICIENT_DATA')} with insufficient data`, `${count('OK')} OK`];
    verdict = `${firing ? STATE_ICON.ALARM : STATE_ICON.OK} *${view.env}: ${plural(alarms.length, 'alarm')}*${scope} — ${parts.join(' · ')}`;
  } else {
    verdict = firing
      ? `${STATE_ICON.ALARM} *${view.env}: ${plural(firing, 'alarm')} in ALARM*${scope}`
      : `${STATE_ICON.OK} *${view.env}: no CloudWatch alarms in ALARM*${scope}`;
  }
  const blocks: KnownBlock[] = [section(verdict)];
  const notOk = alarms.filter((a) => a.state !== 'OK');
  const { shown, more } = takeWithMore(notOk, DETAILED);
  for (const a of shown) blocks.push(section(detail(a, view.region, view.checkedAt)));
  const ok = alarms.filter((a) => a.state === 'OK');
  if (ok.length) {
    const okList = takeWithMore(ok, 30);
    blocks.push(
      section(
        `${STATE_ICON.OK} *OK*: ${okList.shown.map((a) => nameLink(a, view.region)).join(', ')}${okList.more ? ` ${okList.more}` : ''}`,
      ),
    );
  }
  const files: ReplyFile[] = [];
  if (more || ok.length > 30 || view.truncated) {
    if (more) blocks.push(context(`${more} not shown; every alarm is in the attached file.`));
    files.push({
      filename: `alarms-${view.env}.txt`,
      title: `CloudWatch alarms, ${view.env}`,
      content: fileText(view, alarms),
    });
  }
  const notes = [...view.notes];
  if (view.truncated) notes.push('AWS returned more than 100 alarms; only the first 100 are here.');
  if (!view.prefix)
    notes.push(
      `every alarm in ${view.region ?? 'the region'}; set \`alarms.prefix\` in ops.yml to keep to this environment's`,
    );
  blocks.push(context(footer(view.env, view.region, view.checkedAt, view.tookMs), ...notes.map(escapeMrkdwn)));
  const text = firing
    ? `${view.env}: ${plural(firing, 'alarm')} in ALARM — ${alarms
        .filter((a) => a.state === 'ALARM')
        .map((a) => a.name)
        .join(', ')}`
    : `${view.env}: no alarms in ALARM`;
  return {
    text,
    tone: firing ? 'danger' : count('INSUFFICIENT_DATA') && view.all ? 'warning' : 'ok',
    blocks,
    ...(files.length ? { files } : {}),
  };
}
