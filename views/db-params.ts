import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { cell, tableSections } from './db-format.js';
import type { Reply } from './reply.js';

/** One parameter as a row: RDS parameter group entries and pg_settings rows alike. */
export interface ParamRow {
  name: string;
  /** Shown as is; "(engine default)" when the group does not set it. */
  value: string;
  /** How a change takes effect: "dynamic", "static (reboot)", "reload", "restart"… */
  applies: string;
  allowed?: string;
  /** A change waits for a reboot or restart. */
  pending?: boolean;
}

export interface ParamsView {
  env: string;
  /** "parameter group `prod-pg16` of `expo-project-prod-db`" or "Postgres settings (pg_settings)". */
  where: string;
  pattern?: string;
  rows: ParamRow[];
  /** Parameters there are in all (before the pattern). */
  total: number;
  /** What the list without a pattern shows ("the 12 set in this group"). */
  scope: string;
  note?: string;
}

const MAX_ROWS = 60;

export function renderParams(v: ParamsView): Reply {
  const shown = v.rows.slice(0, MAX_ROWS);
  const head = v.pattern
    ? `*${v.rows.length} of ${v.total} parameters* match \`${escapeMrkdwn(v.pattern)}\` in ${v.where}`
    : `*${v.scope}* in ${v.where} (${v.total} in all)`;
  const blocks: KnownBlock[] = [section(head)];
  if (shown.length)
    blocks.push(
      ...tableSections(
        ['name', 'value', 'applies', 'allowed'],
        shown.map((r) => [
          cell(r.name, 40),
          cell(r.value, 30) + (r.pending ? ' *' : ''),
          r.applies,
          cell(r.allowed ?? '', 36),
        ]),
      ),
    );
  const notes = [
    v.rows.length > MAX_ROWS ? `${v.rows.length - MAX_ROWS} more: narrow the pattern` : undefined,
    shown.some((r) => r.pending) ? '* waits for a reboot/restart' : undefined,
    v.note,
    `change one with \`/ops db param ${v.env} <name> <value>\` (needs approval)`,
  ].filter((n): n is string => Boolean(n));
  blocks.push(context(`env *${v.env}* · ${notes.join(' · ')}`));
  return {
    text: v.pattern ? `${v.rows.length} parameters match ${v.pattern} on ${v.env}` : `${v.scope} on ${v.env}`,
    tone: 'info',
    blocks,
  };
}

/** The commands that replace a default group (which RDS does not let anyone modify) with a custom one. */
export function customGroupHowTo(instance: string, group: string, family: string | undefined): string {
  const name = `${instance}-params`;
  return [
    `RDS's own group \`${group}\` cannot be modified. Create a custom group, attach it, and reboot once:`,
    '```',
    `aws rds create-db-parameter-group --db-parameter-group-name ${name} --db-parameter-group-family ${family ?? '<family, e.g. postgres16>'} --description "${instance} parameters"`,
    `aws rds modify-db-instance --db-instance-identifier ${instance} --db-parameter-group-name ${name} --apply-immediately`,
    `aws rds reboot-db-instance --db-instance-identifier ${instance}`,
    '```',
    `Then \`/ops db param <name> <value>\` changes \`${name}\`.`,
  ].join('\n');
}

export interface ParamChangeView {
  env: string;
  where: string;
  name: string;
  from: string;
  to: string;
  /** What Postgres or RDS reports afterwards. */
  after?: string;
  /** immediate, pending-reboot (RDS); reload, new-sessions, restart (self-hosted). */
  effect: string;
  reboot?: string;
}

export function paramChangeEffect(v: Omit<ParamChangeView, 'after'>): string {
  return `${v.where}: \`${v.name}\` ${escapeMrkdwn(v.from)} → *${escapeMrkdwn(v.to)}* — ${effectWords(v.effect)}${v.reboot ? ` ${v.reboot}` : ''}`;
}

function effectWords(effect: string): string {
  switch (effect) {
    case 'immediate':
      return 'ApplyMethod immediate: RDS applies it within seconds, no reboot.';
    case 'pending-reboot':
      return ':warning: a static parameter (ApplyMethod pending-reboot): it takes effect only at the next reboot, which RDS does not do by itself.';
    case 'reload':
      return 'ALTER SYSTEM SET, then pg_reload_conf(): applies to every session that has not SET it itself.';
    case 'new-sessions':
      return 'ALTER SYSTEM SET, then pg_reload_conf(): applies to new connections only.';
    case 'restart':
      return ':warning: ALTER SYSTEM SET writes it to postgresql.auto.conf, but it takes effect only after a Postgres restart (context postmaster).';
    default:
      return effect;
  }
}

export function renderParamChanged(v: ParamChangeView): Reply {
  const waits = v.effect === 'pending-reboot' || v.effect === 'restart';
  return {
    text: `${v.name} = ${v.to} on ${v.env}${waits ? ' (needs a reboot)' : ''}`,
    tone: waits ? 'warning' : 'ok',
    blocks: [
      section(
        `${waits ? ':hourglass:' : ':white_check_mark:'} *\`${v.name}\` = ${escapeMrkdwn(v.to)}* in ${v.where} (was ${escapeMrkdwn(v.from)})\n${effectWords(v.effect)}${v.reboot ? ` ${v.reboot}` : ''}`,
      ),
      context(
        `env *${v.env}*${v.after ? ` · now reported: ${escapeMrkdwn(v.after)}` : ''} · see it with \`/ops db params ${v.env} ${v.name}\``,
      ),
    ],
  };
}
