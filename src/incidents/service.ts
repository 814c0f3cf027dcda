import { randomUUID } from 'node:crypto';
import type { OpsConfig } from '../config/schema.js';
import { UserError, withTimeout } from '../errors.js';
import type { Logger } from '../log.js';
import {
  NOW,
  type Incident,
  type IncidentChanges,
  type IncidentRepository,
  type Severity,
  type TransitionPlan,
} from '../store/incidents.js';
import type { TimelineEntry, TimelineRepository } from '../store/timeline.js';
import { humanDuration, incidentRef, who } from '../../views/incident-card.js';
import { renderWhichIncident } from '../../views/incident-list.js';
import { renderIncidentEvent, renderResolved, renderStatusUpdate } from '../../views/incident-messages.js';
import { postmortemFile, postmortemPeople, renderPostmortemMarkdown } from '../../views/incident-postmortem.js';
import type { IncidentPresenter } from './presenter.js';
import type { IncidentTimers } from './timers.js';

export interface DeclareInput {
  /** Idempotency key: the slash command's trigger_id or the modal's; none for system declarations. */
  key?: string;
  title: string;
  severity: Severity;
  env?: string;
  description?: string;
  ownerId?: string;
  actorId: string;
  originChannelId?: string;
}

export interface Declared {
  incident: Incident;
  duplicate: boolean;
  problems: string[];
}

/** A transition's result; `effects` are the Slack messages, which modal handlers need not wait for. */
export interface Changed {
  incident: Incident;
  effects: Promise<void>;
}

/** The incident workflow as commands and alerts use it. */
export interface Incidents {
  declare(input: DeclareInput, opts?: { setUp?: boolean }): Promise<Declared>;
  /** The incident a command is about: by id, else the one whose channel this is. */
  target(where: { id?: number; channelId?: string }): Promise<Incident>;
  acknowledge(id: number, actorId: string): Promise<Changed>;
  assign(id: number, actorId: string, ownerId: string): Promise<Changed>;
  setSeverity(id: number, actorId: string, severity: Severity): Promise<Changed>;
  update(id: number, actorId: string, text: string, opts?: { mitigated?: boolean }): Promise<Changed>;
  note(id: number, actorId: string, text: string): Promise<Incident>;
  resolve(id: number, actorId: string, summary: string): Promise<Changed>;
  postmortem(incident: Incident): Promise<string>;
  timeline(id: number): Promise<TimelineEntry[]>;
  listOpen(): Promise<Incident[]>;
}

/** On-call paging's view of incidents (src/oncall): a declared P0/P1 pages; acknowledging or resolving stops it. */
export interface IncidentPaging {
  declared(incident: Incident, key?: string): Promise<void>;
  acknowledged(incident: Incident, actorId: string): Promise<void>;
  resolved(incident: Incident, actorId: string): Promise<void>;
}

const isSlackUser = (id: string | undefined) => Boolean(id && /^[UW][A-Z0-9]+$/.test(id));

/**
 * The incident workflow: declare, acknowledge, assign, change severity, post
 * updates and notes, mitigate, resolve. State lives in Postgres (each change a
 * locked transition with its timeline entry); Slack shows it via the presenter;
 * response targets and reminders are delayed jobs (timers).
 */
export class IncidentService implements Incidents {
  /** Set by the runtime when on-call is configured. */
  paging?: IncidentPaging;

  constructor(
    private readonly config: OpsConfig,
    readonly repo: IncidentRepository,
    readonly timelineRepo: TimelineRepository,
    readonly presenter: IncidentPresenter,
    readonly timers: IncidentTimers,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  /**
   * Inserts the incident unless its key was declared before (a retried delivery,
   * a second replica): only the inserter creates the channel. `setUp: false`
   * leaves the Slack side to the caller (a job), for answers due within 3 s.
   */
  async declare(input: DeclareInput, { setUp = true } = {}): Promise<Declared> {
    const key = input.key ?? `system:${randomUUID()}`;
    const ownerId = input.ownerId ?? (isSlackUser(input.actorId) ? input.actorId : undefined);
    const created = await this.repo.create(
      {
        declareKey: key,
        title: input.title,
        description: input.description,
        severity: input.severity,
        env: input.env,
        declaredBy: input.actorId,
        ownerId,
        originChannelId: input.originChannelId,
      },
      {
        kind: 'declared',
        actorId: input.actorId,
        text: `declared ${input.severity}: ${input.title}${input.env ? ` (${input.env})` : ''}${ownerId ? `; owner ${who(ownerId)}` : ''}`,
      },
    );
    if (!created) {
      const existing = await this.repo.byKey(key);
      if (!existing) throw new Error(`declaration ${key} conflicted but cannot be found`);
      return { incident: existing, duplicate: true, problems: [] };
    }
    this.log.info({ incident: created.id, severity: created.severity }, 'incident declared');
    await this.timers.scheduleEscalation(created);
    await this.timers.scheduleReminder(created);
    if (!setUp) {
      await this.page((p) => p.declared(created, key));
      return { incident: created, duplicate: false, problems: [] };
    }
    const { incident, problems } = await this.presenter.setUp(created);
    await this.page((p) => p.declared(incident, key));
    return { incident, duplicate: false, problems };
  }

  /**
   * Which incident a command means: --id; else the incident of the channel it
   * was typed in; else the only open one; else a refusal that lists them.
   */
  async target({ id, channelId }: { id?: number; channelId?: string }): Promise<Incident> {
    if (id !== undefined) {
      const found = await this.repo.get(id);
      if (found) return found;
      throw new UserError(`There is no incident INC-${id}.`, await this.openHint());
    }
    const here = channelId ? await this.repo.byChannel(channelId) : undefined;
    if (here) return here;
    const open = await this.repo.open();
    if (open.length === 1) return open[0];
    if (open.length === 0)
      throw new UserError(
        'There is no open incident.',
        'Declare one with `/ops incident declare P1 <title>`, or name a resolved one with `--id <number>`.',
      );
    throw new UserError(
      `There are ${open.length} open incidents. Type the command in the incident's channel, or say which one with \`--id\`:`,
      renderWhichIncident(open),
    );
  }

  async acknowledge(id: number, actorId: string): Promise<Changed> {
    return this.change(
      id,
      (i) => {
        if (i.acknowledgedAt)
          return {
            refuse: `${incidentRef(i)} was already acknowledged by ${who(i.acknowledgedBy)} after ${humanDuration(i.acknowledgedAt.getTime() - i.declaredAt.getTime())}.`,
          };
        const takesOwnership = !i.ownerId && isSlackUser(actorId);
        const took = humanDuration(this.clock().getTime() - i.declaredAt.getTime());
        return {
          changes: {
            acknowledged_at: NOW,
            acknowledged_by: actorId,
            status: i.status === 'open' ? 'acknowledged' : i.status,
            ...(takesOwnership ? { owner_id: actorId } : {}),
          },
          entry: {
            kind: 'acknowledged',
            actorId,
            text: `acknowledged after ${took}${takesOwnership ? ' and took ownership' : ''}`,
          },
        };
      },
      async (_before, i) => {
        await this.presenter.event(
          i,
          renderIncidentEvent(i, `:eyes: ${who(actorId)} acknowledged *${incidentRef(i)}*.`),
        );
        await this.page((p) => p.acknowledged(i, actorId));
        await this.presenter.refresh(i, { topic: true });
      },
    );
  }

  async assign(id: number, actorId: string, ownerId: string): Promise<Changed> {
    return this.change(
      id,
      (i) => {
        if (i.ownerId === ownerId) return { refuse: `${who(ownerId)} already owns ${incidentRef(i)}.` };
        return {
          changes: { owner_id: ownerId },
          entry: { kind: 'owner', actorId, text: `owner ${i.ownerId ? `${who(i.ownerId)} → ` : ''}${who(ownerId)}` },
        };
      },
      async (_before, i) => {
        if (i.channelId) await this.presenter.slack?.invite(i.channelId, [ownerId]);
        await this.presenter.event(
          i,
          renderIncidentEvent(
            i,
            `:bust_in_silhouette: ${who(ownerId)} now owns *${incidentRef(i)}* (set by ${who(actorId)}).`,
          ),
        );
        await this.presenter.refresh(i, { topic: true });
      },
    );
  }

  /** Changing severity moves the response target and the reminder cadence: both timers get a new generation. */
  async setSeverity(id: number, actorId: string, severity: Severity): Promise<Changed> {
    return this.change(
      id,
      (i) => {
        if (i.severity === severity) return { refuse: `${incidentRef(i)} is already ${severity}.` };
        return {
          changes: {
            severity,
            ack_timer_seq: i.ackTimerSeq + 1,
            update_timer_seq: i.updateTimerSeq + 1,
            reminders_sent: 0,
          },
          entry: { kind: 'severity', actorId, text: `severity ${i.severity} → ${severity}` },
        };
      },
      async (before, i) => {
        const arrow = severity < before.severity ? ':arrow_up:' : ':arrow_down:';
        await this.presenter.event(
          i,
          renderIncidentEvent(
            i,
            `${arrow} ${who(actorId)} changed *${incidentRef(i)}* from ${before.severity} to *${severity}*.`,
            'warning',
          ),
          { thread: true },
        );
        await this.presenter.refresh(i, { topic: true });
        await this.timers.scheduleEscalation(i);
        await this.timers.scheduleReminder(i);
      },
    );
  }

  /**
   * A status update; with `mitigated` the first such update records the time
   * to mitigate and implies acknowledgement (someone is evidently on it).
   */
  async update(id: number, actorId: string, text: string, { mitigated = false } = {}): Promise<Changed> {
    return this.change(
      id,
      (i) => {
        if (mitigated && i.mitigatedAt)
          return {
            refuse: `${incidentRef(i)} was already marked mitigated; post a plain update with \`/ops incident update <text>\`.`,
          };
        const changes: IncidentChanges = {
          last_update_at: NOW,
          update_timer_seq: i.updateTimerSeq + 1,
          reminders_sent: 0,
        };
        if (mitigated)
          Object.assign(changes, {
            mitigated_at: NOW,
            status: 'mitigated',
            ...(i.acknowledgedAt ? {} : { acknowledged_at: NOW, acknowledged_by: actorId }),
          });
        return { changes, entry: { kind: mitigated ? 'mitigated' : 'update', actorId, text } };
      },
      async (_before, i) => {
        await this.presenter.event(i, renderStatusUpdate(i, actorId, text, mitigated), { thread: true });
        if (mitigated) await this.page((p) => p.acknowledged(i, actorId));
        await this.presenter.refresh(i, { topic: mitigated });
        await this.timers.scheduleReminder(i);
      },
    );
  }

  async note(id: number, actorId: string, text: string): Promise<Incident> {
    const { incident } = await this.change(
      id,
      () => ({ changes: {}, entry: { kind: 'note', actorId, text } }),
      async () => undefined,
      { allowResolved: true },
    );
    return incident;
  }

  /** Resolves, announces, and attaches the postmortem draft built from the timeline. */
  async resolve(id: number, actorId: string, summary: string): Promise<Changed> {
    return this.change(
      id,
      (i) => ({
        // Without an earlier mitigation, the impact ended with the resolution.
        changes: {
          status: 'resolved',
          resolved_at: NOW,
          resolved_by: actorId,
          summary,
          mitigated_at: i.mitigatedAt ?? NOW,
        },
        entry: { kind: 'resolved', actorId, text: summary },
      }),
      async (_before, i) => {
        await this.presenter.refresh(i, { topic: true });
        await this.presenter.event(i, renderResolved(i), { thread: true });
        await this.page((p) => p.resolved(i, actorId));
        const channel = i.channelId ?? i.card?.channel ?? i.originChannelId;
        if (!channel || !this.presenter.slack) return;
        const file = postmortemFile(i, await this.postmortem(i));
        await this.presenter.slack
          .uploadFiles(channel, { text: file.title ?? file.filename, blocks: [], files: [file] })
          .catch((err) => this.log.warn({ err }, 'could not upload the postmortem draft'));
      },
    );
  }

  /** The postmortem draft as it would be written now (also for open incidents, as a working document). */
  async postmortem(incident: Incident): Promise<string> {
    const items = await this.timelineRepo.list(incident.id);
    const names = await withTimeout('Slack users.info', 3000, () =>
      this.presenter.displayNames(postmortemPeople(incident, items)),
    ).catch(() => ({}));
    return renderPostmortemMarkdown(incident, items, this.presenter.severity(incident), this.clock(), names);
  }

  async timeline(id: number): Promise<TimelineEntry[]> {
    return this.timelineRepo.list(id);
  }

  async listOpen(): Promise<Incident[]> {
    return this.repo.open();
  }

  /** Paging never fails the incident change it follows. */
  private async page(call: (p: IncidentPaging) => Promise<void>): Promise<void> {
    if (!this.paging) return;
    await call(this.paging).catch((err) => this.log.error({ err }, 'on-call paging failed'));
  }

  private async openHint(): Promise<string> {
    const open = await this.repo.open();
    return open.length ? `Open incidents:\n${renderWhichIncident(open)}` : 'There are no open incidents.';
  }

  /** Runs one locked transition; a refusal becomes a UserError. Resolved incidents refuse changes unless allowed. */
  private async change(
    id: number,
    plan: (i: Incident) => TransitionPlan,
    effects: (before: Incident, after: Incident) => Promise<void>,
    { allowResolved = false } = {},
  ): Promise<Changed> {
    const result = await this.repo.transition(id, (i) =>
      i.status === 'resolved' && !allowResolved ? { refuse: `${incidentRef(i)} is already resolved.` } : plan(i),
    );
    if ('refused' in result) throw new UserError(result.refused);
    const done = effects(result.before, result.after).catch((err) =>
      this.log.error({ err, incident: id }, 'incident side effects failed'),
    );
    return { incident: result.after, effects: done };
  }
}
