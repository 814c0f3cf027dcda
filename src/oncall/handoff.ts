import type { Redis } from 'ioredis';
import type { Chat, Workspace } from '../core/chat.js';
import { chatErrorCode, describeChatFailure } from '../core/chat.js';
import type { Logger } from '../log.js';
import type { OncallOverviewRepository } from '../store/oncall-overview.js';
import type { PageRepository } from '../store/oncall-pages.js';
import type { SwapRepository } from '../store/oncall-swaps.js';
import { renderHandoff } from '../../views/oncall-handoff.js';
import { section } from '../../views/blocks.js';
import type { Paging } from './paging.js';
import type { Roster } from './roster.js';
import { nextHandoffs, whoIsOnCall, type Schedule } from './rotation.js';
import { formatLocal } from './zoned-time.js';

export const ONCALL_TICK_JOB = 'oncall.tick';
/** Once a minute: handoffs are on minute boundaries and every replica's scheduler makes one job per minute. */
export const TICK_PATTERN = '* * * * *';
const LOOKBACK_MS = 3 * 60_000;

export interface HandoffDeps {
  roster: Roster;
  chat?: Chat;
  workspace?: Workspace;
  overview: OncallOverviewRepository;
  pages: PageRepository;
  paging: Paging;
  swaps: SwapRepository;
  redis: Redis;
  prefix: string;
  log: Logger;
  clock: () => Date;
}

/**
 * The once-a-minute on-call job: announces handoffs (each claimed once in
 * Redis, so replicas and a late tick never announce twice), keeps schedules'
 * user groups equal to who is on call, re-fires pages whose timer was lost
 * with its worker, and expires swap requests.
 */
export class Handoffs {
  constructor(private readonly deps: HandoffDeps) {}

  async tick(): Promise<string> {
    if (!this.deps.roster.oncall) return 'no on-call schedules';
    const now = this.deps.clock();
    const schedules = await this.deps.roster.all();
    let announced = 0;
    for (const schedule of schedules.values()) {
      announced += await this.announce(schedule, now).catch((err) => {
        this.deps.log.warn({ err, schedule: schedule.name }, 'handoff announcement failed');
        return 0;
      });
      await this.syncUsergroup(schedule, now);
    }
    const swept = await this.sweepPages(now);
    const expired = await this.expireSwaps();
    return `${announced} handoff(s), ${swept} page(s) re-fired, ${expired} swap(s) expired`;
  }

  private async announce(schedule: Schedule, now: Date): Promise<number> {
    const overrides = await this.deps.roster.overrides(schedule.name, now);
    const recent = nextHandoffs(schedule, new Date(now.getTime() - LOOKBACK_MS), 20, overrides).filter(
      (h) => h.at.getTime() <= now.getTime(),
    );
    const channel = this.deps.roster.required().schedules[schedule.name].channel;
    let n = 0;
    for (const h of recent) {
      const key = `${this.deps.prefix}:oncall:handoff:${schedule.name}:${h.layer}:${h.at.getTime()}`;
      if ((await this.deps.redis.set(key, '1', 'EX', 86_400, 'NX')) !== 'OK') continue;
      const layer = schedule.layers.find((l) => l.name === h.layer)!;
      const onCall = whoIsOnCall({ ...schedule, layers: [layer] }, now, overrides)[0];
      const shiftStart = new Date(h.at.getTime() - layer.shiftDays * 86_400_000);
      const [incidents, alerts, approvals, lastShift] = await Promise.all([
        this.deps.overview.openIncidents(),
        this.deps.overview.firingAlerts(),
        this.deps.overview.pendingApprovals(),
        this.deps.overview.shiftCounts(shiftStart, h.at),
      ]);
      const view = {
        schedule: schedule.name,
        layer: h.layer,
        from: h.from,
        to: h.to,
        until: onCall.until ? formatLocal(onCall.until, schedule.timeZone) : undefined,
        incidents,
        alerts,
        approvals,
        lastShift,
      };
      const { chat, log } = this.deps;
      if (channel)
        await chat?.post(channel, renderHandoff(view)).catch((err) => log.warn({ err }, 'handoff post failed'));
      await chat?.postDirect(h.to, renderHandoff(view, true)).catch((err) => log.warn({ err }, 'handoff DM failed'));
      n += 1;
    }
    return n;
  }

  /** usergroups.users.update when the members differ from who is on call; a missing scope is said once a day. */
  async syncUsergroup(schedule: Schedule, now: Date): Promise<void> {
    const config = this.deps.roster.required().schedules[schedule.name];
    const group = config.usergroup;
    if (!group || !this.deps.workspace) return;
    const overrides = await this.deps.roster.overrides(schedule.name, now);
    const wanted = [...new Set(whoIsOnCall(schedule, now, overrides).flatMap((o) => (o.userId ? [o.userId] : [])))];
    if (wanted.length === 0) return; // Slack refuses an empty group; the last people stay until someone is on call
    const problemKey = this.problemKey(schedule.name);
    try {
      const current = await this.deps.workspace.usergroupMembers(group);
      if ([...current].sort().join(',') === [...wanted].sort().join(',')) return;
      await this.deps.workspace.setUsergroupMembers(group, wanted);
      await this.deps.redis.del(problemKey);
      this.deps.log.info({ schedule: schedule.name, group, members: wanted }, 'on-call user group updated');
    } catch (err) {
      const problem = describeChatFailure(err, `keep user group ${group} equal to who is on call`);
      this.deps.log.error({ err, schedule: schedule.name, group }, problem);
      await this.deps.redis.set(problemKey, problem, 'EX', 86_400);
      const once = `${problemKey}:said:${chatErrorCode(err) ?? 'error'}`;
      if (config.channel && (await this.deps.redis.set(once, '1', 'EX', 86_400, 'NX')) === 'OK')
        await this.deps.chat
          ?.post(config.channel, { text: problem, tone: 'warning', blocks: [section(`:warning: ${problem}`)] })
          .catch(() => undefined);
    }
  }

  /** The last user group sync's problem for `/ops oncall`, if it failed. */
  async usergroupProblem(schedule: string): Promise<string | undefined> {
    return (await this.deps.redis.get(this.problemKey(schedule)).catch(() => null)) ?? undefined;
  }

  private problemKey(schedule: string): string {
    return `${this.deps.prefix}:oncall:usergroup-problem:${schedule}`;
  }

  /** Pages overdue by more than a tick: their timer job was lost; firing with the stored generation is safe. */
  private async sweepPages(now: Date): Promise<number> {
    const due = await this.deps.pages.due(new Date(now.getTime() - 30_000));
    for (const page of due) await this.deps.paging.fire(page.id, page.generation).catch(() => undefined);
    return due.length;
  }

  private async expireSwaps(): Promise<number> {
    const expired = await this.deps.swaps.expireSwaps();
    for (const swap of expired)
      await this.deps.chat
        ?.postDirect(swap.requesterId, {
          text: `Swap request ${swap.id} expired`,
          blocks: [
            section(`:hourglass: <@${swap.otherId}> did not answer swap request ${swap.id} in time; it expired.`),
          ],
        })
        .catch(() => undefined);
    return expired.length;
  }
}
