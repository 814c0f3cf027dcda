import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';

/** One line of the report: what was checked, and whether it held. */
export interface DrLine {
  ok: boolean;
  text: string;
}

export interface DrReportView {
  env: string;
  method: 'snapshot' | 'point-in-time';
  /** The snapshot, or the ISO time restored to. */
  source: string;
  tempInstance?: string;
  startedAt: Date;
  rtoMs?: number;
  rpoMs?: number;
  rtoTargetMs: number;
  rpoTargetMs: number;
  /** Restore, connection, table counts, RTO, RPO, clean-up: the verdict is all of them. */
  lines: DrLine[];
  passed: boolean;
}

/** "45s", "12m 5s", "1h 3m", "2d 4h": spans as the report shows them. */
export function drSpan(ms: number): string {
  const s = Math.round(Math.max(0, ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** A test passes only when every line holds: the same lines the report shows. */
export function drPassed(lines: DrLine[]): boolean {
  return lines.length > 0 && lines.every((l) => l.ok);
}

export function drObjectiveLine(
  name: 'RTO' | 'RPO',
  achieved: number | undefined,
  target: number,
  what: string,
): DrLine {
  if (achieved === undefined) return { ok: false, text: `${name} not measured (target ${drSpan(target)})` };
  return {
    ok: achieved <= target,
    text: `${name} ${drSpan(achieved)} (${what}) ${achieved <= target ? 'within' : 'over'} the target of ${drSpan(target)}`,
  };
}

export function drJobTitle(env: string, method: 'snapshot' | 'point-in-time'): string {
  return `DR test ${env} (${method === 'snapshot' ? 'latest snapshot' : 'latest restorable time'})`;
}

/** The report the job posts: verdict first (from the lines), each line green or red, and where it is recorded. */
export function renderDrReport(view: DrReportView): Reply {
  const icon = view.passed ? ':white_check_mark:' : ':x:';
  const failed = view.lines.filter((l) => !l.ok);
  const verdict = view.passed
    ? `${icon} *DR test of ${escapeMrkdwn(view.env)} passed* — RTO ${drSpan(view.rtoMs ?? 0)} / ${drSpan(view.rtoTargetMs)}, RPO ${drSpan(view.rpoMs ?? 0)} / ${drSpan(view.rpoTargetMs)}`
    : `${icon} *DR test of ${escapeMrkdwn(view.env)} failed* — ${escapeMrkdwn(failed.map((l) => l.text).join('; '))}`;
  const blocks: KnownBlock[] = [
    section(verdict),
    section(
      view.lines
        .slice(0, 20)
        .map((l) => `${l.ok ? ':large_green_circle:' : ':red_circle:'} ${escapeMrkdwn(l.text)}`)
        .join('\n'),
    ),
    context(
      `env *${escapeMrkdwn(view.env)}* · restored ${view.method === 'snapshot' ? 'snapshot' : 'to'} \`${escapeMrkdwn(view.source)}\`${view.tempInstance ? ` into \`${escapeMrkdwn(view.tempInstance)}\`` : ''} · recorded for \`/ops status\` and \`/ops checklist status\``,
    ),
  ];
  return {
    text: view.passed
      ? `DR test of ${view.env} passed: RTO ${drSpan(view.rtoMs ?? 0)}, RPO ${drSpan(view.rpoMs ?? 0)}`
      : `DR test of ${view.env} failed: ${failed.map((l) => l.text).join('; ')}`,
    tone: view.passed ? 'ok' : 'danger',
    verdict: view.passed ? 'good' : 'bad',
    blocks,
  };
}

/** The recorded result, as status and checklist status show it. */
export interface DrLastView {
  passed: boolean;
  finishedAt: Date;
  rtoMs?: number;
  rpoMs?: number;
  rtoTargetMs: number;
  rpoTargetMs: number;
}

/** "Last DR test: 3d ago (2026-11-20 09:12 UTC), RTO 12m / 15m, RPO 4m / 5m, passed"; or that there was none. */
export function drLastLine(last: DrLastView | undefined, now: Date, env: string): string {
  if (!last) return `:grey_question: *Last DR test:* none recorded — run \`/ops dr test ${env}\``;
  const when = `${drSpan(now.getTime() - last.finishedAt.getTime())} ago (${last.finishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  const m = (v: number | undefined) => (v === undefined ? 'not measured' : drSpan(v));
  return `${last.passed ? ':large_green_circle:' : ':red_circle:'} *Last DR test:* ${when}, RTO ${m(last.rtoMs)} / ${drSpan(last.rtoTargetMs)}, RPO ${m(last.rpoMs)} / ${drSpan(last.rpoTargetMs)}, ${last.passed ? 'passed' : 'failed'}`;
}
