import type { ActionsBlock, Button, Checkboxes, MrkdwnOption } from '@slack/types';
import { button, context, escapeMrkdwn, section, truncate, type KnownBlock } from './blocks.js';
import { progressBar } from './progress.js';
import type { Reply, Tone } from './reply.js';

export const TICK_ACTION_PREFIX = 'checklist.tick.';
export const RUN_ACTION_PREFIX = 'checklist.run.';
export const RUNBOOK_ACTION_PREFIX = 'checklist.runbook.';
/** Each item's actions block is `checklist:<runId>:<position>`, so a click names its run and item without parsing values. */
export const ITEM_BLOCK_PREFIX = 'checklist:';

/** Slack's limit for an option's text and description. */
const OPTION_TEXT_MAX = 75;

export interface ChecklistItemView {
  position: number;
  text: string;
  command?: string;
  runbook?: string;
  state: 'open' | 'done' | 'skipped';
  doneBy?: string;
  doneAt?: Date;
  via?: string;
  skipReason?: string;
}

export interface ChecklistRunView {
  id: string;
  checklist: string;
  title: string;
  postedBy: string;
  createdAt: Date;
  dueAt: Date;
  completedAt?: Date;
  remindersSent: number;
  items: ChecklistItemView[];
}

export interface ChecklistMessageOptions {
  now: Date;
  /** Mention text for the owner ("<@U1>, <!subteam^S1>"), shown in the footer. */
  ownerMention?: string;
  /** Item commands that exist in this opsbot: only those get a Run button. */
  canRun(command: string): boolean;
}

/** Slack shows this in each reader's own time zone; the fallback is UTC. */
export function slackTime(date: Date, format = '{date_short_pretty} {time}'): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${date.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}

export function progressOf(run: Pick<ChecklistRunView, 'items'>): {
  done: number;
  skipped: number;
  open: number;
  total: number;
  percent: number;
} {
  const done = run.items.filter((i) => i.state === 'done').length;
  const skipped = run.items.filter((i) => i.state === 'skipped').length;
  const total = run.items.length;
  return {
    done,
    skipped,
    open: total - done - skipped,
    total,
    percent: total ? ((done + skipped) / total) * 100 : 100,
  };
}

/** Who ticked how many items: "<@A> 3, <@B> 2". */
export function contributors(run: Pick<ChecklistRunView, 'items'>): string {
  const counts = new Map<string, number>();
  for (const item of run.items)
    if (item.state === 'done' && item.doneBy) counts.set(item.doneBy, (counts.get(item.doneBy) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([user, n]) => `<@${user}> ${n}`)
    .join(', ');
}

function stateOf(run: ChecklistRunView, now: Date): { icon: string; tone: Tone; label: string } {
  if (run.completedAt) return { icon: ':white_check_mark:', tone: 'ok', label: 'complete' };
  if (run.dueAt <= now)
    return run.remindersSent >= 2
      ? { icon: ':rotating_light:', tone: 'danger', label: 'overdue' }
      : { icon: ':alarm_clock:', tone: 'warning', label: 'overdue' };
  return { icon: ':clipboard:', tone: 'info', label: 'open' };
}

/** "✓ <@U1> · 09:12" under a ticked item (context blocks render mentions and local times; option descriptions cannot). */
function itemNote(item: ChecklistItemView): string | undefined {
  if (item.state === 'open' || !item.doneBy) return undefined;
  const who = item.doneBy === 'opsbot' ? 'opsbot' : `<@${item.doneBy}>`;
  const when = item.doneAt ? ` · ${slackTime(item.doneAt, '{date_short_pretty} {time}')}` : '';
  if (item.state === 'skipped')
    return `:fast_forward: skipped by ${who}${when}: ${escapeMrkdwn(item.skipReason ?? '')}`;
  return `:heavy_check_mark: ${who}${when}${item.via === 'run' ? ' · checked by Run' : ''}`;
}

function itemBlock(run: ChecklistRunView, item: ChecklistItemView, opts: ChecklistMessageOptions): ActionsBlock {
  const label =
    item.state === 'skipped'
      ? `~${item.position}. ${escapeMrkdwn(item.text)}~`
      : `${item.position}. ${escapeMrkdwn(item.text)}`;
  const option: MrkdwnOption = {
    text: { type: 'mrkdwn', text: truncate(label, OPTION_TEXT_MAX) },
    value: `${run.id}:${item.position}`,
  };
  const checkboxes: Checkboxes = {
    type: 'checkboxes',
    action_id: `${TICK_ACTION_PREFIX}${item.position}`,
    options: [option],
  };
  if (item.state !== 'open') checkboxes.initial_options = [option];
  const elements: (Checkboxes | Button)[] = [checkboxes];
  if (item.command && opts.canRun(item.command) && item.state !== 'done') {
    elements.push(
      button(`▶ Run ${item.command}`, `${RUN_ACTION_PREFIX}${item.position}`, `${run.id}:${item.position}`),
    );
  }
  if (item.runbook)
    elements.push({
      ...button('Runbook', `${RUNBOOK_ACTION_PREFIX}${item.position}`, item.runbook),
      url: item.runbook,
    });
  return { type: 'actions', block_id: `${ITEM_BLOCK_PREFIX}${run.id}:${item.position}`, elements };
}

/**
 * The posted checklist: progress on top, one checkbox per item (with who ticked
 * it and when), a Run button where an /ops command checks the item; green and
 * signed by the people who did it once complete.
 */
export function renderChecklistMessage(run: ChecklistRunView, opts: ChecklistMessageOptions): Reply {
  const p = progressOf(run);
  const state = stateOf(run, opts.now);
  const skipped = p.skipped ? ` · ${p.skipped} skipped` : '';
  const headline = `${state.icon} *${escapeMrkdwn(run.title)}* — *${p.done}/${p.total} done*${skipped}  \`${progressBar(p.percent)}\``;
  const blocks: KnownBlock[] = [section(headline)];
  // Who ticked what goes under each item while the message stays within Slack's 50 blocks.
  const withNotes = run.items.length <= 23;
  for (const item of run.items.slice(0, 45)) {
    blocks.push(itemBlock(run, item, opts));
    const note = withNotes ? itemNote(item) : undefined;
    if (note) blocks.push(context(note));
  }
  const footer: string[] = [];
  if (run.completedAt) {
    const who = contributors(run);
    footer.push(
      `Completed ${slackTime(run.completedAt)} (${formatSpan(run.completedAt.getTime() - run.createdAt.getTime())} after posting)${who ? ` by ${who}` : ''}`,
    );
  } else {
    const due =
      run.dueAt <= opts.now
        ? `*overdue* since ${slackTime(run.dueAt)}`
        : `due ${slackTime(run.dueAt)} (in ${formatSpan(run.dueAt.getTime() - opts.now.getTime())})`;
    footer.push(`\`${run.checklist}\` · ${due}${opts.ownerMention ? ` · owner ${opts.ownerMention}` : ''}`);
    footer.push(`Skip an item: \`/ops checklist skip <number> --reason "…"\``);
  }
  footer.push(run.postedBy === 'opsbot' ? 'posted on schedule' : `posted by <@${run.postedBy}>`);
  blocks.push(context(...footer));
  const text = `${run.title}: ${p.done}/${p.total} done${skipped}${run.completedAt ? ' — complete' : state.label === 'overdue' ? ' — overdue' : ''}`;
  return { text, tone: state.tone, blocks };
}

/** A reminder in the checklist's thread; the second one is louder (broadcast to the channel, red). */
export function renderChecklistReminder(
  run: ChecklistRunView,
  level: number,
  mention: string | undefined,
  now: Date,
): Reply {
  const open = run.items.filter((i) => i.state === 'open');
  const late = formatSpan(now.getTime() - run.dueAt.getTime());
  const who = mention ? `${mention} ` : '';
  const lead =
    level >= 2
      ? `:rotating_light: ${who}*${escapeMrkdwn(run.title)}* is still not done, ${late} past due — second reminder.`
      : `:alarm_clock: ${who}*${escapeMrkdwn(run.title)}* was due ${slackTime(run.dueAt, '{time}')} and is not done yet.`;
  const list =
    open
      .slice(0, 15)
      .map((i) => `• ${i.position}. ${escapeMrkdwn(i.text)}`)
      .join('\n') + (open.length > 15 ? `\n… ${open.length - 15} more` : '');
  return {
    text: `${run.title}: ${open.length} item${open.length === 1 ? '' : 's'} still open${level >= 2 ? ' (second reminder)' : ''}`,
    tone: level >= 2 ? 'danger' : 'warning',
    blocks: [
      section(lead),
      section(`*${open.length} of ${run.items.length} still open:*\n${list}`),
      context('Tick them in the checklist above, or skip one with `/ops checklist skip <number> --reason "…"`.'),
    ],
  };
}

/** A Run button's outcome, posted in the checklist's thread above the command's own reply. */
export function renderChecklistRunResult(
  item: Pick<ChecklistItemView, 'position' | 'text' | 'command'>,
  userId: string,
  reply: Reply,
  ticked: boolean,
): Reply {
  const passed = reply.tone === 'ok';
  const verdict = passed
    ? ticked
      ? 'passed — item ticked'
      : 'passed'
    : reply.tone === 'danger'
      ? 'failed — item left open'
      : 'did not pass — item left open';
  const lead = section(
    `${passed ? ':white_check_mark:' : ':warning:'} <@${userId}> ran \`/ops ${escapeMrkdwn(item.command ?? '')}\` for item ${item.position} (${escapeMrkdwn(item.text)}): *${verdict}*`,
  );
  return {
    ...reply,
    ephemeral: false,
    modal: undefined,
    text: `${item.command}: ${verdict} — ${reply.text}`,
    blocks: [lead, ...reply.blocks],
  };
}
