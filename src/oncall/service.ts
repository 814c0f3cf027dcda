import type { Chat } from '../core/chat.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { OverrideRepository, StoredOverride } from '../store/oncall-overrides.js';
import type { SwapRepository, SwapRequest } from '../store/oncall-swaps.js';
import { renderSwapRequest } from '../../views/oncall-swap.js';
import { checkOverride, planSwap } from './overrides.js';
import { parseOverrideRange } from './override-range.js';
import type { Roster } from './roster.js';
import { nextHandoffs, whoIsOnCall, type Handoff, type OnCall, type Schedule } from './rotation.js';
import { schedulePicture, type SchedulePicture } from './schedule-picture.js';
import { formatLocal } from './zoned-time.js';

/** Who is on call in one schedule at one instant, and what changes next. */
export interface OncallNow {
  schedule: string;
  timeZone: string;
  at: Date;
  layers: OnCall[];
  handoffs: Handoff[];
  usergroup?: string;
  /** The last user group sync's problem, in words (a missing scope). */
  usergroupProblem?: string;
}

/** The on-call port commands use (`/ops oncall …`). */
export interface Oncall {
  now(schedule?: string): Promise<OncallNow>;
  picture(schedule: string | undefined, weeks: number): Promise<{ now: OncallNow; picture: SchedulePicture }>;
  addOverride(input: {
    schedule?: string;
    layer?: string;
    userId: string;
    range: string;
    by: string;
  }): Promise<{ override: StoredOverride; timeZone: string }>;
  overrides(schedule?: string): Promise<{ schedule: string; timeZone: string; overrides: StoredOverride[] }[]>;
  removeOverride(id: string, by: string): Promise<StoredOverride>;
  requestSwap(input: {
    schedule?: string;
    layer?: string;
    requester: string;
    other: string;
  }): Promise<{ swap: SwapRequest; timeZone: string }>;
}

const SWAP_TTL_MS = 48 * 3_600_000;

/** Schedules, overrides and swaps; paging is in paging.ts, handoffs and user groups in handoff.ts. */
export class OncallService implements Oncall {
  constructor(
    private readonly roster: Roster,
    private readonly overridesRepo: OverrideRepository,
    private readonly swaps: SwapRepository,
    private readonly chat: Chat | undefined,
    private readonly usergroupProblem: (schedule: string) => Promise<string | undefined>,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  async now(name?: string): Promise<OncallNow> {
    const schedule = await this.roster.schedule(name);
    const at = this.clock();
    const overrides = await this.roster.overrides(schedule.name, at);
    const usergroup = this.roster.required().schedules[schedule.name].usergroup;
    return {
      schedule: schedule.name,
      timeZone: schedule.timeZone,
      at,
      layers: whoIsOnCall(schedule, at, overrides),
      handoffs: nextHandoffs(schedule, at, 4, overrides),
      usergroup,
      usergroupProblem: usergroup ? await this.usergroupProblem(schedule.name) : undefined,
    };
  }

  async picture(name: string | undefined, weeks: number) {
    const now = await this.now(name);
    const schedule = await this.roster.schedule(now.schedule);
    const overrides = await this.roster.overrides(schedule.name, now.at);
    return { now, picture: schedulePicture(schedule, now.at, weeks, overrides, (id) => id) };
  }

  async addOverride(input: { schedule?: string; layer?: string; userId: string; range: string; by: string }) {
    const schedule = await this.roster.schedule(input.schedule);
    const layer = this.layerOf(schedule, input.layer);
    const { start, end } = parseOverrideRange(input.range, schedule.timeZone);
    const existing = await this.roster.overrides(schedule.name, this.clock());
    const check = checkOverride(schedule, existing, { layer, userId: input.userId, start, end }, this.clock());
    if (!check.ok) throw new UserError(`Override refused: ${check.reason}.`, 'See them with `/ops oncall overrides`.');
    const created = await this.overridesRepo.create({
      schedule: schedule.name,
      layer,
      userId: input.userId,
      start,
      end,
      createdBy: input.by,
    });
    if (!created.ok) throw new UserError(`Override refused: ${created.reason}.`);
    this.log.info({ schedule: schedule.name, layer, override: created.override.id }, 'on-call override added');
    return { override: created.override, timeZone: schedule.timeZone };
  }

  async overrides(name?: string) {
    const names = name ? [(await this.roster.schedule(name)).name] : this.roster.names();
    if (names.length === 0) this.roster.required();
    const all = await this.roster.all();
    return Promise.all(
      names.map(async (n) => ({
        schedule: n,
        timeZone: all.get(n)!.timeZone,
        overrides: await this.overridesRepo.list(n, this.clock()),
      })),
    );
  }

  async removeOverride(id: string, by: string): Promise<StoredOverride> {
    const removed = await this.overridesRepo.remove(id.replace(/^#/, ''), by);
    if (!removed)
      throw new UserError(
        `There is no override ${id}.`,
        'See the live ones (and their ids) with `/ops oncall overrides`.',
      );
    return removed;
  }

  /** Plans the swap, stores the request, and asks the other person with Accept / Decline buttons. */
  async requestSwap(input: { schedule?: string; layer?: string; requester: string; other: string }) {
    const schedule = await this.roster.schedule(input.schedule);
    const layer = this.layerOf(schedule, input.layer);
    const at = this.clock();
    const existing = await this.roster.overrides(schedule.name, at);
    const plan = planSwap(schedule, existing, { layer, requester: input.requester, other: input.other, at });
    if (!plan.ok) throw new UserError(`Swap refused: ${plan.reason}.`);
    const swap = await this.swaps.requestSwap({
      schedule: schedule.name,
      layer,
      requesterId: input.requester,
      otherId: input.other,
      give: { start: plan.plan.give.start, end: plan.plan.give.end },
      take: { start: plan.plan.take.start, end: plan.plan.take.end },
      expiresAt: new Date(at.getTime() + SWAP_TTL_MS),
    });
    if (this.chat) {
      const posted = await this.chat.postDirect(
        input.other,
        renderSwapRequest(swap, (d) => formatLocal(d, schedule.timeZone)),
      );
      await this.swaps.attachSwapMessage(swap.id, posted.channel, posted.ts);
    }
    return { swap, timeZone: schedule.timeZone };
  }

  /** A layer by name (default: the swap's or override's first layer, the primary). */
  private layerOf(schedule: Schedule, name?: string): string {
    if (!name) return schedule.layers[0].name;
    if (schedule.layers.some((l) => l.name === name)) return name;
    throw new UserError(
      `Schedule ${schedule.name} has no layer "${name}".`,
      `Layers: ${schedule.layers.map((l) => l.name).join(', ')}; pass one with \`--layer\`.`,
    );
  }
}
