import type { OncallConfig } from '../config/oncall-schema.js';
import type { OpsConfig } from '../config/schema.js';
import type { Workspace } from '../core/chat.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { OverrideRepository } from '../store/oncall-overrides.js';
import type { Override, Schedule } from './rotation.js';
import { schedulesFromConfig } from './schedule-config.js';

const GROUP_TTL_MS = 5 * 60_000;

/**
 * The configured schedules with their user-group members looked up (cached
 * five minutes, like the access policy's directory), and the overrides that
 * apply to them. Nothing here stores who is on call: callers compute it.
 */
export class Roster {
  private readonly groups = new Map<string, { at: number; members: string[] }>();

  constructor(
    readonly config: OpsConfig,
    private readonly overridesRepo: OverrideRepository,
    private readonly workspace: Workspace | undefined,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  get oncall(): OncallConfig | undefined {
    return this.config.oncall;
  }

  /** The section, or a refusal that says how to add it. */
  required(): OncallConfig {
    if (this.config.oncall) return this.config.oncall;
    throw new UserError(
      'No on-call schedules are configured.',
      'Add an `oncall:` section with `schedules:` to ops.yml; docs/oncall.md has a complete example.',
    );
  }

  names(): string[] {
    return Object.keys(this.config.oncall?.schedules ?? {});
  }

  /** A schedule by name (default: the first), or a refusal listing the names. */
  async schedule(name?: string): Promise<Schedule> {
    const oncall = this.required();
    const names = Object.keys(oncall.schedules);
    const wanted = name ?? names[0];
    if (!oncall.schedules[wanted])
      throw new UserError(`There is no on-call schedule "${name}".`, `Schedules: ${names.join(', ')}.`);
    return (await this.all()).get(wanted)!;
  }

  async all(): Promise<Map<string, Schedule>> {
    const oncall = this.required();
    const ids = new Set<string>();
    for (const s of Object.values(oncall.schedules))
      for (const l of Object.values(s.layers)) if (!Array.isArray(l.members)) ids.add(l.members.usergroup);
    await Promise.all([...ids].map((id) => this.members(id)));
    return schedulesFromConfig(oncall, this.config.timezone, (id) => this.groups.get(id)?.members);
  }

  /** Live overrides of a schedule around `at` (a quarter year either side covers every lookup). */
  async overrides(schedule: string, at = this.clock()): Promise<(Override & { id: string })[]> {
    const from = new Date(at.getTime() - 92 * 86_400_000);
    return (await this.overridesRepo.list(schedule, from)).map((o) => ({ ...o }));
  }

  private async members(usergroupId: string): Promise<void> {
    const cached = this.groups.get(usergroupId);
    if (cached && Date.now() - cached.at < GROUP_TTL_MS) return;
    if (!this.workspace) return;
    try {
      this.groups.set(usergroupId, { at: Date.now(), members: await this.workspace.usergroupMembers(usergroupId) });
    } catch (err) {
      this.log.warn({ err, usergroupId }, 'could not list an on-call user group; its layer has nobody until it can');
    }
  }
}
