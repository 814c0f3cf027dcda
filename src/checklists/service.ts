import { closest, distance } from 'fastest-levenshtein';
import type { OpsConfig } from '../config/schema.js';
import { formatDuration } from '../duration.js';
import { UserError } from '../errors.js';
import type { Feature } from '../core/feature.js';
import { defineJob } from '../core/job.js';
import type { JobScheduling } from '../core/job.js';
import type { Logger } from '../log.js';
import { chatErrorCode, type Chat } from '../core/chat.js';
import type { CommandRunner, JobLauncher } from '../core/runner.js';
import type { ChecklistRepository, ChecklistRun } from '../store/checklists.js';
import {
  RUN_ACTION_PREFIX,
  RUNBOOK_ACTION_PREFIX,
  TICK_ACTION_PREFIX,
  renderChecklistReminder,
} from '../../views/checklist-message.js';
import { renderChecklistList, renderChecklistPreview, type ChecklistListEntry } from '../../views/checklist-list.js';
import { renderChecklistPosted, renderChecklistSkipped } from '../../views/checklist-notice.js';
import { renderChecklistStatus } from '../../views/checklist-status.js';
import type { Reply } from '../core/reply.js';
import { resolveChecklists, type ChecklistDefinition } from './definitions.js';
import { LAST_REMINDER, NAG_JOB, ownerMention, scheduleReminder, type NagJobData } from './nagging.js';
import { POST_JOB, syncSchedulers, type PostJobData } from './scheduler.js';
import { formatInZone, nextRuns, slotFor } from '../config/schedule.js';
import { runItem, tickItem, type ClickDeps } from './clicks.js';
import { pickItem } from './items.js';
import { ChecklistMessages } from './messages.js';

/** Checklists as the /ops checklist commands use them. */
export interface Checklists {
  listReply(): Reply;
  /** The list and its items as text, for a terminal. */
  preview(name: string): Reply;
  postNow(name: string, opts: { channelId?: string; actorId: string }): Promise<Reply>;
  skip(opts: { channelId?: string; actorId: string; item: string; reason: string; list?: string }): Promise<Reply>;
  status(name: string | undefined, days?: number): Promise<Reply>;
}

export interface ChecklistServiceDeps {
  config: OpsConfig;
  repo: ChecklistRepository;
  jobs: JobScheduling;
  /** Runs an item's command (its Run button) as the clicking user. */
  runner: CommandRunner;
  messenger?: Chat;
  jobStarter?: JobLauncher;
  log: Logger;
  clock: () => Date;
}

/**
 * Recurring checklists: posted on schedule or on demand, ticked in Slack (each
 * tick one atomic UPDATE), checked by Run buttons that go through the /ops
 * dispatcher as the clicking user, and nagged about by delayed jobs that ask
 * Postgres whether they are still needed.
 */
export class ChecklistService implements Checklists {
  readonly lists: ChecklistDefinition[];

  private readonly messages: ChecklistMessages;
  private readonly clickDeps: ClickDeps;

  constructor(private readonly deps: ChecklistServiceDeps) {
    this.lists = resolveChecklists(deps.config);
    this.messages = new ChecklistMessages(deps);
    this.clickDeps = { repo: deps.repo, runner: deps.runner, jobStarter: deps.jobStarter, messages: this.messages };
  }

  find(name: string): ChecklistDefinition {
    const list = this.lists.find((l) => l.name === name.toLowerCase());
    if (list) return list;
    const names = this.lists.map((l) => l.name);
    const guess = closest(name.toLowerCase(), names);
    const hint = guess && distance(name.toLowerCase(), guess) <= 3 ? ` Did you mean \`${guess}\`?` : '';
    throw new UserError(
      `There is no checklist \`${name}\`.${hint}`,
      `Checklists: ${names.map((n) => `\`${n}\``).join(', ')} — see \`/ops checklist list\`.`,
    );
  }

  listReply(): Reply {
    const now = this.deps.clock();
    const tz = this.deps.config.timezone;
    const entries: ChecklistListEntry[] = this.lists.map((l) => ({
      name: l.name,
      title: l.title,
      items: l.items.length,
      schedule: l.schedule,
      scheduleNote: l.scheduleNote,
      nextRun:
        l.schedule && l.configured && l.channel
          ? nextRuns(l.schedule, tz, now, 1).map((d) => formatInZone(d, tz))[0]
          : undefined,
      channel: l.channel,
      owner: l.owner,
      dueAfter: formatDuration(l.dueAfterMs),
      builtin: l.builtin,
      configured: l.configured,
    }));
    return renderChecklistList(entries, tz);
  }

  /** The list with its items, posted nowhere: what a terminal shows for `checklist <name>`. */
  preview(name: string): Reply {
    return renderChecklistPreview(this.find(name));
  }

  /** Posts a list now (`/ops checklist <name>`), in the channel it was asked from or else its configured one. */
  async postNow(name: string, opts: { channelId?: string; actorId: string }): Promise<Reply> {
    const list = this.find(name);
    const channel = opts.channelId ?? list.channel;
    if (!channel)
      throw new UserError(
        `\`${list.name}\` has no channel in ops.yml, so I do not know where to post it.`,
        'Type the command in the channel where it should go, or set `channel:` for it under `checklists` in ops.yml.',
      );
    const run = await this.post(list, { channel, postedBy: opts.actorId });
    return renderChecklistPosted(list.title, run.channelId, false);
  }

  /** Creates the run (once per schedule slot), posts it, and schedules the first reminder. */
  async post(
    list: ChecklistDefinition,
    opts: { channel: string; postedBy: string; scheduledFor?: Date },
  ): Promise<ChecklistRun> {
    const { messenger, repo, log } = this.deps;
    if (!messenger)
      throw new UserError('Posting a checklist needs Slack; run it from Slack (`/ops checklist ' + list.name + '`).');
    const { run, created } = await repo.create({
      checklist: list.name,
      title: list.title,
      channelId: opts.channel,
      postedBy: opts.postedBy,
      owner: list.owner,
      scheduledFor: opts.scheduledFor,
      dueInMs: list.dueAfterMs,
      items: list.items,
    });
    if (run.messageTs) return run;
    try {
      const posted = await messenger.postJoining(run.channelId, this.messages.render(run));
      await repo.setMessage(run.id, posted.ts);
      run.messageTs = posted.ts;
    } catch (err) {
      const code = chatErrorCode(err);
      log.warn({ err, checklist: list.name, channel: run.channelId }, 'could not post a checklist');
      if (code)
        throw new UserError(
          `I could not post \`${list.name}\` in <#${run.channelId}> (${code}). Invite me with \`/invite @opsbot\` and try again.`,
        );
      throw err;
    }
    if (created && list.nag && list.items.length > 0)
      await scheduleReminder(this.deps.jobs, { runId: run.id, level: 1 }, list.title, list.dueAfterMs);
    return run;
  }

  /** `/ops checklist skip <item> --reason`: the newest open run in the channel (or of --list); item by number or words. */
  async skip(opts: {
    channelId?: string;
    actorId: string;
    item: string;
    reason: string;
    list?: string;
  }): Promise<Reply> {
    const listName = opts.list ? this.find(opts.list).name : undefined;
    const run = await this.deps.repo.latestOpen(opts.channelId, listName);
    if (!run)
      throw new UserError(
        `There is no open checklist${listName ? ` \`${listName}\`` : ''} in this channel to skip an item of.`,
        'Post one with `/ops checklist <name>`, or name the list with `--list <name>`.',
      );
    const item = pickItem(run, opts.item);
    if (item.state !== 'open')
      throw new UserError(
        `Item ${item.position} of *${run.title}* (${item.text}) is already ${item.state === 'done' ? `done by <@${item.doneBy}>` : 'skipped'}.`,
        'Untick it in the checklist first if it should be skipped instead.',
      );
    await this.deps.repo.skip(run.id, item.position, opts.actorId, opts.reason);
    const settled = await this.deps.repo.settle(run.id);
    await this.messages.refresh(run.id);
    return renderChecklistSkipped(run.title, item.position, item.text, opts.reason, settled === 'completed');
  }

  async status(name: string | undefined, days = 30): Promise<Reply> {
    const checklist = name ? this.find(name).name : undefined;
    const { repo } = this.deps;
    const now = this.deps.clock();
    const [stats, recent, completers] = await Promise.all([
      repo.stats(checklist, days, now),
      repo.recent(checklist, 20),
      repo.completers(checklist, days),
    ]);
    return renderChecklistStatus({ checklist, days, now, stats, recent, completers });
  }

  /** A reminder job fired: remind only if Postgres says the run is overdue, incomplete and not yet reminded at this level. */
  private async remind({ runId, level }: NagJobData): Promise<string> {
    const run = await this.deps.repo.claimReminder(runId, level);
    if (!run) return 'no reminder needed';
    const list = this.lists.find((l) => l.name === run.checklist);
    await this.messages.thread(
      run,
      renderChecklistReminder(run, level, ownerMention(run.owner, this.deps.config), this.deps.clock()),
      level >= LAST_REMINDER,
    );
    await this.messages.refresh(run.id);
    if (level < LAST_REMINDER && (list?.nag ?? true))
      await scheduleReminder(
        this.deps.jobs,
        { runId, level: level + 1 },
        run.title,
        list?.escalateAfterMs ?? 2 * 3_600_000,
      );
    return `reminder ${level} sent`;
  }

  /** A scheduler fired: post the list for the slot it belongs to (a second job for the same slot finds it claimed). */
  private async postScheduled({ checklist }: PostJobData): Promise<string> {
    const list = this.lists.find((l) => l.name === checklist);
    if (!list?.schedule || !list.channel || !list.configured) return `checklist ${checklist} is no longer scheduled`;
    const slot = slotFor(list.schedule, this.deps.config.timezone, this.deps.clock()) ?? this.deps.clock();
    const run = await this.post(list, { channel: list.channel, postedBy: 'opsbot', scheduledFor: slot });
    return `posted ${checklist} (run ${run.id})`;
  }

  feature(): Feature {
    const text = (t: string): Reply => ({ text: t, blocks: [] });
    return {
      name: 'checklists',
      jobs: [
        defineJob<PostJobData>({
          name: POST_JOB,
          idempotent: true,
          timeoutMs: 60_000,
          run: async (_ctx, data) => text(await this.postScheduled(data)),
        }),
        defineJob<NagJobData>({
          name: NAG_JOB,
          idempotent: true,
          timeoutMs: 60_000,
          run: async (_ctx, data) => text(await this.remind(data)),
        }),
      ],
      actions: [
        { actionId: `${TICK_ACTION_PREFIX}*`, handle: (click) => tickItem(this.clickDeps, click) },
        { actionId: `${RUN_ACTION_PREFIX}*`, handle: (click) => runItem(this.clickDeps, click) },
        // Runbook buttons open their URL in the browser; Slack still sends the click, which needs an ack.
        { actionId: `${RUNBOOK_ACTION_PREFIX}*`, handle: async () => undefined },
      ],
      startWorkers: async () => {
        await syncSchedulers(
          this.deps.jobs,
          this.lists.filter((l) => l.configured && l.channel),
          this.deps.config.timezone,
          this.deps.log,
        );
      },
    };
  }
}
