import type { Redis } from 'ioredis';
import type { Workspace } from '../core/chat.js';
import type { EventListener } from '../core/interactions.js';
import type { Logger } from '../log.js';
import type { OncallOverviewRepository } from '../store/oncall-overview.js';
import { renderHome } from '../../views/oncall-home.js';
import { ChannelMembers } from './channel-members.js';
import type { Roster } from './roster.js';
import { nextHandoffs, whoIsOnCall } from './rotation.js';
import { formatLocal } from './zoned-time.js';

export interface AppHomeDeps {
  roster: Roster;
  workspace?: Workspace;
  overview: OncallOverviewRepository;
  /** Pages this person acknowledged lately. */
  acknowledgements(userId: string): Promise<{ summary: string; at: Date }[]>;
  /** Whether the person may approve for one of these roles. */
  approves(userId: string, roles: string[]): Promise<boolean>;
  redis: Redis;
  prefix: string;
  log: Logger;
  clock: () => Date;
}

/** Slack sends app_home_opened every time the tab is opened; publishing at most every 30 s per person is plenty. */
const CACHE_SECONDS = 30;

/** The App Home tab: published on `app_home_opened`, at most once per person per 30 s (Redis). */
export class AppHome {
  private readonly members?: ChannelMembers;

  constructor(private readonly deps: AppHomeDeps) {
    if (deps.workspace) this.members = new ChannelMembers(deps.workspace, deps.redis, deps.prefix, deps.log);
  }

  listener(): EventListener {
    return {
      event: 'app_home_opened',
      handle: async (event) => {
        if (event.tab !== undefined && event.tab !== 'home') return;
        const user = String(event.user ?? '');
        if (user) await this.publish(user);
      },
    };
  }

  async publish(userId: string, { force = false } = {}): Promise<boolean> {
    const { redis, prefix, workspace, log } = this.deps;
    if (!workspace) return false;
    const key = `${prefix}:oncall:home:${userId}`;
    if (!force && (await redis.set(key, '1', 'EX', CACHE_SECONDS, 'NX').catch(() => 'OK')) !== 'OK') return false;
    try {
      await workspace.publishHome(userId, renderHome(await this.build(userId)));
      return true;
    } catch (err) {
      log.warn({ err, userId }, 'could not publish the App Home tab');
      await redis.del(key).catch(() => undefined);
      return false;
    }
  }

  private async build(userId: string) {
    const { roster, overview, clock } = this.deps;
    const at = clock();
    const onCall: string[] = [];
    let nextShift: string | undefined;
    if (roster.oncall) {
      for (const schedule of (await roster.all()).values()) {
        const overrides = await roster.overrides(schedule.name, at);
        for (const o of whoIsOnCall(schedule, at, overrides))
          if (o.userId === userId)
            onCall.push(
              `${schedule.name} / ${o.layer} until ${o.until ? formatLocal(o.until, schedule.timeZone) : 'further notice'}`,
            );
        const mine = nextHandoffs(schedule, at, 40, overrides).find((h) => h.to === userId);
        if (mine && !nextShift)
          nextShift = `${schedule.name} / ${mine.layer} from ${formatLocal(mine.at, schedule.timeZone)}`;
      }
    }
    const [incidents, alerts, approvals, checklists, acknowledgements] = await Promise.all([
      overview.openIncidents(),
      overview.firingAlerts(),
      overview.pendingApprovals(),
      overview.dueChecklists(),
      this.deps.acknowledgements(userId),
    ]);
    // Firing alerts in the person's channels; a channel Slack would not list stays in, with the reason.
    const membership = await this.members?.of(
      userId,
      alerts.map((a) => a.channelId),
    );
    const unknown = new Set(membership?.unknown.map((u) => u.channelId));
    const theirs = membership
      ? alerts.filter((a) => membership.in.has(a.channelId) || unknown.has(a.channelId))
      : alerts;
    const waiting: typeof approvals = [];
    for (const a of approvals)
      if (a.requestedBy !== userId && (await this.deps.approves(userId, a.approverRoles))) waiting.push(a);
    return {
      userId,
      onCall,
      nextShift,
      incidents: incidents.filter((i) => i.ownerId === userId || i.acknowledgedBy === userId),
      acknowledgements,
      alerts: theirs,
      alertsNote: membership?.unknown.map((u) => u.problem).join(' '),
      approvals: waiting,
      checklists: checklists.filter((c) => !c.owner || c.owner === userId),
      at,
    };
  }
}
