import type { Redis } from 'ioredis';
import type { ActivityRecorder } from '../activity.js';
import type { OpsConfig } from '../config/schema.js';
import type { Chat, Workspace } from '../core/chat.js';
import type { Feature } from '../core/feature.js';
import type { Click } from '../core/interactions.js';
import { defineJob, type JobScheduling } from '../core/job.js';
import type { Reply } from '../core/reply.js';
import type { Logger } from '../log.js';
import { OncallOverviewRepository } from '../store/oncall-overview.js';
import { OverrideRepository } from '../store/oncall-overrides.js';
import { PageRepository, type PageSubject } from '../store/oncall-pages.js';
import { SwapRepository } from '../store/oncall-swaps.js';
import type { Pool } from '../store/pool.js';
import { TimelineRepository } from '../store/timeline.js';
import { section } from '../../views/blocks.js';
import { renderUserError } from '../../views/errors.js';
import { PAGE_ACK, PAGE_ESCALATE } from '../../views/oncall-page.js';
import { renderSwapDecided, SWAP_ACCEPT, SWAP_DECLINE } from '../../views/oncall-swap.js';
import { AppHome } from './app-home.js';
import { Handoffs, ONCALL_TICK_JOB, TICK_PATTERN } from './handoff.js';
import { PAGE_FIRE_JOB, Paging } from './paging.js';
import { pagersFromConfig, type Pager } from './pagers/index.js';
import { Roster } from './roster.js';
import { OncallService } from './service.js';
import { formatLocal } from './zoned-time.js';

export interface OncallDeps {
  config: OpsConfig;
  pool: Pool;
  redis: Redis;
  prefix: string;
  jobs: JobScheduling;
  chat?: Chat;
  workspace?: Workspace;
  activity: ActivityRecorder;
  roles(name: string): string[] | undefined;
  /** Whether a person is in one of these access roles (approvals waiting for them). */
  approves(userId: string, roles: string[]): Promise<boolean>;
  /** Acknowledging a page from its DM acknowledges the alert or incident too. */
  acknowledgeSubject(kind: PageSubject, id: string, userId: string): Promise<void>;
  incidentChannel(id: number): Promise<string | undefined>;
  /** Tests hand fake pagers. */
  pagers?: Pager[];
  log: Logger;
  clock: () => Date;
}

/** Wires on-call: the schedule service for commands, paging for alerts and incidents, the tick job, App Home, buttons. */
export function buildOncall(deps: OncallDeps) {
  const log = deps.log.child({ component: 'oncall' });
  const overridesRepo = new OverrideRepository(deps.pool);
  const swaps = new SwapRepository(deps.pool);
  const pages = new PageRepository(deps.pool);
  const overview = new OncallOverviewRepository(deps.pool);
  const roster = new Roster(deps.config, overridesRepo, deps.workspace, log, deps.clock);
  const paging = new Paging({
    roster,
    pages,
    jobs: deps.jobs,
    chat: deps.chat,
    timeline: new TimelineRepository(deps.pool),
    activity: deps.activity,
    pagers: deps.pagers ?? (deps.config.oncall ? pagersFromConfig(deps.config.oncall.pagers) : []),
    roles: deps.roles,
    incidentChannel: deps.incidentChannel,
    log,
    clock: deps.clock,
  });
  const handoffs = new Handoffs({ ...deps, roster, overview, pages, paging, swaps, log });
  const service = new OncallService(
    roster,
    overridesRepo,
    swaps,
    deps.chat,
    (s) => handoffs.usergroupProblem(s),
    log,
    deps.clock,
  );
  const home = new AppHome({
    ...deps,
    roster,
    overview,
    acknowledgements: async (userId) =>
      (await pages.acknowledgedBy(userId)).map((p) => ({
        summary: `${p.severity} ${p.summary}`,
        at: p.acknowledgedAt!,
      })),
    log,
  });

  const tz = (schedule: string) => deps.config.oncall?.schedules[schedule]?.timezone ?? deps.config.timezone;
  const fmt = (schedule: string) => (d: Date) => formatLocal(d, tz(schedule));
  const refuse = (text: string): Reply => renderUserError(text);

  const ack = async (click: Click): Promise<Reply | undefined> => {
    const page = await paging.acknowledge(click.value, click.userId);
    const current = page ?? (await paging.get(click.value));
    if (!current) return refuse('That page no longer exists.');
    if (!page)
      return refuse(
        current.acknowledgedBy
          ? `This page was already acknowledged by <@${current.acknowledgedBy}>.`
          : `This page is ${current.status}.`,
      );
    await deps
      .acknowledgeSubject(page.subjectKind, page.subjectId, click.userId)
      .catch((err) => log.warn({ err, page: page.id }, 'could not acknowledge the paged alert or incident'));
    return {
      text: 'Acknowledged',
      ephemeral: true,
      blocks: [section(`:white_check_mark: Acknowledged: *${page.summary}*. Escalation stopped.`)],
    };
  };
  const escalateNow = async (click: Click): Promise<Reply | undefined> => {
    const page = await paging.get(click.value);
    if (!page || page.status !== 'open') return refuse(`This page is ${page?.status ?? 'gone'}; nothing to escalate.`);
    const result = await paging.fire(page.id, page.generation, true);
    return { text: result, ephemeral: true, blocks: [section(`:arrow_up: Escalated: ${result}.`)] };
  };
  const decide = async (click: Click, outcome: 'accepted' | 'declined'): Promise<Reply | undefined> => {
    const result =
      outcome === 'accepted'
        ? await swaps.acceptSwap(click.value, click.userId)
        : await swaps.closeSwap(click.value, click.userId, 'declined');
    if (!result.ok) return refuse(`Swap not ${outcome}: ${result.reason}.`);
    const reply = renderSwapDecided(result.swap, outcome, fmt(result.swap.schedule));
    if (result.swap.channelId && result.swap.messageTs)
      await deps.chat
        ?.update({ channel: result.swap.channelId, ts: result.swap.messageTs }, reply)
        .catch(() => undefined);
    await deps.chat?.postDirect(result.swap.requesterId, reply).catch(() => undefined);
    return undefined;
  };

  const feature: Feature = {
    name: 'oncall',
    jobs: [
      defineJob<{ pageId: string; generation: number }>({
        name: PAGE_FIRE_JOB,
        idempotent: true,
        timeoutMs: 60_000,
        run: async (_ctx, data) => {
          const result = await paging.fire(String(data.pageId), Number(data.generation));
          return { text: result, blocks: [] };
        },
      }),
      defineJob({
        name: ONCALL_TICK_JOB,
        idempotent: true,
        timeoutMs: 50_000,
        run: async () => ({ text: await handoffs.tick(), blocks: [] }),
      }),
    ],
    actions: [
      { actionId: PAGE_ACK, handle: ack },
      { actionId: PAGE_ESCALATE, handle: escalateNow },
      { actionId: SWAP_ACCEPT, handle: (click) => decide(click, 'accepted') },
      { actionId: SWAP_DECLINE, handle: (click) => decide(click, 'declined') },
    ],
    events: [home.listener()],
    startWorkers: async () => {
      if (!deps.config.oncall) return;
      await deps.jobs.upsertSchedule('oncall-tick', { pattern: TICK_PATTERN, tz: 'UTC' }, ONCALL_TICK_JOB, {
        data: {},
        meta: { title: 'On-call handoffs, user groups and lost page timers', requestedBy: 'opsbot' },
      });
    },
  };
  return { service, paging, handoffs, home, feature };
}
