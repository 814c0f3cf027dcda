import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { contributors, formatSpan, progressOf, slackTime, type ChecklistRunView } from './checklist-message.js';
import { progressBar, sparkline } from './progress.js';
import type { Reply } from './reply.js';

export interface ChecklistStatusView {
  checklist?: string;
  days: number;
  now: Date;
  /** `pending`: runs neither completed nor due yet; they are in progress, not failed, and left out of the rate. */
  stats: { checklist: string; runs: number; completed: number; onTime: number; pending?: number }[];
  /** Newest first. */
  recent: (ChecklistRunView & { channelId: string })[];
  completers: { userId: string; items: number }[];
}

function runLine(run: ChecklistRunView & { channelId: string }, now: Date): string {
  const p = progressOf(run);
  const bar = progressBar(p.percent, 5);
  if (run.completedAt) {
    const late =
      run.completedAt > run.dueAt ? ` (${formatSpan(run.completedAt.getTime() - run.dueAt.getTime())} late)` : '';
    const who = contributors(run);
    return `:white_check_mark: *${escapeMrkdwn(run.title)}* · ${slackTime(run.createdAt)} · \`${bar}\` done in ${formatSpan(run.completedAt.getTime() - run.createdAt.getTime())}${late}${who ? ` by ${who}` : ''}`;
  }
  const overdue = run.dueAt <= now;
  const icon = overdue ? ':alarm_clock:' : ':hourglass_flowing_sand:';
  const when = overdue
    ? `*overdue ${formatSpan(now.getTime() - run.dueAt.getTime())}*`
    : `due in ${formatSpan(run.dueAt.getTime() - now.getTime())}`;
  return `${icon} *${escapeMrkdwn(run.title)}* · ${slackTime(run.createdAt)} in <#${run.channelId}> · \`${bar}\` ${p.done}/${p.total} · ${when}`;
}

/** `/ops checklist status [name]`: completion rate per list, recent runs, overdue items and who does the work. */
export function renderChecklistStatus(v: ChecklistStatusView): Reply {
  const scope = v.checklist ? `\`${escapeMrkdwn(v.checklist)}\`` : 'all checklists';
  if (v.recent.length === 0) {
    const text = `No checklist runs yet for ${scope}. Post one with \`/ops checklist ${v.checklist ?? '<name>'}\`.`;
    return { text, tone: 'muted', blocks: [section(`:clipboard: ${text}`)] };
  }
  const overdueRuns = v.recent.filter((r) => !r.completedAt && r.dueAt <= v.now);
  const totals = v.stats.reduce(
    (a, s) => ({ runs: a.runs + s.runs, completed: a.completed + s.completed, pending: a.pending + (s.pending ?? 0) }),
    { runs: 0, completed: 0, pending: 0 },
  );
  const due = totals.runs - totals.pending;
  const rate = due ? Math.round((totals.completed / due) * 100) : 0;
  const inProgress = totals.pending ? ` · :hourglass_flowing_sand: ${totals.pending} in progress` : '';
  const blocks: KnownBlock[] = [
    section(
      `:clipboard: *Checklist status — ${scope}*, last ${v.days} days: ${due ? `*${rate}% completed* (${totals.completed} of ${due} due runs)` : '*no run due yet*'}${inProgress}${overdueRuns.length ? ` · :alarm_clock: *${overdueRuns.length} overdue*` : ''}`,
    ),
  ];
  const rateLines = v.stats.map((s) => {
    const history = v.recent
      .filter((r) => r.checklist === s.checklist)
      .reverse()
      .map((r) => progressOf(r).percent);
    const dueRuns = s.runs - (s.pending ?? 0);
    // No run due yet has no rate: "0 %" would read as every run failed.
    const done = dueRuns
      ? `\`${progressBar((s.completed / dueRuns) * 100)}\` ${s.completed}/${dueRuns} due complete, ${s.onTime} on time`
      : 'no run due yet';
    return `\`${escapeMrkdwn(s.checklist)}\` ${done}${s.pending ? `, ${s.pending} in progress` : ''}${history.length > 1 ? `  ${sparkline(history)}` : ''}`;
  });
  if (rateLines.length) blocks.push(section(`*Completion rate*\n${rateLines.join('\n')}`));
  blocks.push(
    section(
      `*Recent runs*\n${v.recent
        .slice(0, 10)
        .map((r) => runLine(r, v.now))
        .join('\n')}`,
    ),
  );
  if (overdueRuns.length) {
    const lines = overdueRuns.flatMap((r) =>
      r.items
        .filter((i) => i.state === 'open')
        .map((i) => `• *${escapeMrkdwn(r.title)}* #${i.position} ${escapeMrkdwn(i.text)} — due ${slackTime(r.dueAt)}`),
    );
    blocks.push(
      section(
        `*Overdue items*\n${lines.slice(0, 20).join('\n')}${lines.length > 20 ? `\n… ${lines.length - 20} more` : ''}`,
      ),
    );
  }
  const skipped = v.recent.flatMap((r) =>
    r.items
      .filter((i) => i.state === 'skipped')
      .map((i) => `• ${escapeMrkdwn(i.text)} — <@${i.doneBy}>: ${escapeMrkdwn(i.skipReason ?? '')}`),
  );
  if (skipped.length) blocks.push(section(`*Skipped*\n${skipped.slice(0, 10).join('\n')}`));
  if (v.completers.length)
    blocks.push(
      section(
        `*Who completes them*\n${v.completers.map((c) => `<@${c.userId}> ${c.items} item${c.items === 1 ? '' : 's'}`).join(' · ')}`,
      ),
    );
  blocks.push(context(`Recent runs are the newest 10 · rates over ${v.days} days`));
  const text = `Checklists (${v.checklist ?? 'all'}): ${due ? `${rate}% of ${due} due runs completed` : 'no run due yet'}, ${totals.pending} in progress, ${overdueRuns.length} overdue`;
  return { text, tone: overdueRuns.length ? 'warning' : 'ok', blocks };
}
