import type { ActivityLog, ChannelActivity } from '../activity.js';
import type { OpsConfig } from '../config/schema.js';
import { isUserError } from '../errors.js';
import type { Feature } from '../core/feature.js';
import { defineJob } from '../core/job.js';
import type { JobScheduling } from '../core/job.js';
import type { Logger } from '../log.js';
import type { Click, ViewSubmission } from '../core/interactions.js';
import {
  INCIDENT_ACK_ACTION,
  INCIDENT_RESOLVE_ACTION,
  INCIDENT_UPDATE_ACTION,
  incidentRef,
} from '../../views/incident-card.js';
import { renderDeclared, renderIncidentRefusal } from '../../views/incident-messages.js';
import {
  DECLARE_VIEW,
  RESOLVE_VIEW,
  UPDATE_VIEW,
  renderResolveModal,
  renderUpdateModal,
} from '../../views/incident-modals.js';
import type { Reply } from '../core/reply.js';
import { isSeverity } from './args.js';
import type { IncidentService } from './service.js';
import { describeChatFailure } from '../core/chat.js';

export const SETUP_JOB = 'incident.setup';

/** What the declaration modal carries from the slash command that opened it. */
export interface DeclareModalMetadata {
  key: string;
  channel?: string;
  /** The message the incident was opened from (message shortcut): linked in the timeline. */
  source?: { channel: string; ts: string; permalink?: string };
}

const text = (v: string | string[] | undefined) => (typeof v === 'string' ? v.trim() : '');

/**
 * The incident workflow's Slack surface besides commands: card buttons, the
 * three modals, :pushpin: reactions, the setup job for modal declarations,
 * the timers, and the activity sink that fills the timeline of incident channels.
 */
export class IncidentFeature {
  constructor(
    private readonly service: IncidentService,
    private readonly config: OpsConfig,
    private readonly jobs: JobScheduling,
    private readonly log: Logger,
  ) {}

  register(activity: ActivityLog): Feature {
    activity.addSink((a) => this.recordActivity(a));
    return {
      name: 'incidents',
      jobs: [...this.service.timers.definitions(), this.setupJob()],
      actions: [
        { actionId: INCIDENT_ACK_ACTION, handle: (click) => this.guard(() => this.acknowledge(click)) },
        { actionId: INCIDENT_UPDATE_ACTION, handle: (click) => this.guard(() => this.openModal(click, 'update')) },
        { actionId: INCIDENT_RESOLVE_ACTION, handle: (click) => this.guard(() => this.openModal(click, 'resolve')) },
      ],
      views: [
        { callbackId: DECLARE_VIEW, handle: (s) => this.declareFromModal(s) },
        { callbackId: UPDATE_VIEW, handle: (s) => this.updateFromModal(s) },
        { callbackId: RESOLVE_VIEW, handle: (s) => this.resolveFromModal(s) },
      ],
      events: [{ event: 'reaction_added', handle: (event) => this.pinned(event) }],
    };
  }

  /** Commands, approvals, alerts and jobs in an incident channel land in its timeline. */
  private async recordActivity(a: ChannelActivity): Promise<void> {
    const incident = await this.service.repo.byChannel(a.channelId);
    if (!incident) return;
    // Successful incident commands write their own, richer entry.
    if (a.kind === 'command' && String(a.detail?.command ?? '').startsWith('incident ') && a.detail?.outcome === 'ok')
      return;
    const outcome =
      a.kind === 'command' && a.detail?.outcome ? ` → ${String(a.detail.outcome).replace(/_/g, ' ')}` : '';
    await this.service.timelineRepo.add(incident.id, {
      kind: a.kind,
      actorId: a.actorId,
      text: `${a.text}${outcome}`,
      detail: a.detail,
      at: a.at,
    });
  }

  private async guard(work: () => Promise<Reply | undefined>): Promise<Reply | undefined> {
    try {
      return await work();
    } catch (err) {
      if (isUserError(err)) return renderIncidentRefusal(err.message);
      throw err;
    }
  }

  private async acknowledge(click: Click): Promise<Reply | undefined> {
    const changed = await this.service.acknowledge(Number(click.value), click.userId);
    await changed.effects;
    return undefined;
  }

  private async openModal(click: Click, which: 'update' | 'resolve'): Promise<Reply | undefined> {
    const incident = await this.service.target({ id: Number(click.value) });
    if (incident.status === 'resolved') return renderIncidentRefusal(`${incidentRef(incident)} is already resolved.`);
    const slack = this.service.presenter.slack;
    const command =
      which === 'update'
        ? `/ops incident update --id ${incident.id} <text>`
        : `/ops incident resolve --id ${incident.id} <summary>`;
    if (!slack || !click.triggerId) return renderIncidentRefusal(`Use \`${command}\` instead.`);
    await slack.openModal(
      click.triggerId,
      which === 'update' ? renderUpdateModal(incident) : renderResolveModal(incident),
    );
    return undefined;
  }

  /** Answered within Slack's 3 s: insert the incident now, create its channel in a job. */
  private async declareFromModal(s: ViewSubmission): Promise<Record<string, string> | undefined> {
    const title = text(s.values.title);
    const severity = text(s.values.severity);
    if (!title) return { title: 'Say in a few words what is wrong.' };
    if (!isSeverity(severity)) return { severity: 'Pick a severity.' };
    let meta: DeclareModalMetadata;
    try {
      meta = JSON.parse(s.privateMetadata) as DeclareModalMetadata;
    } catch {
      return { title: 'This form is out of date; run `/ops incident declare` again.' };
    }
    const env = text(s.values.environment) || undefined;
    const owner = text(s.values.owner) || undefined;
    const declared = await this.service.declare(
      {
        key: `modal:${meta.key}`,
        title,
        severity,
        env,
        description: text(s.values.description) || undefined,
        ownerId: owner,
        actorId: s.userId,
        originChannelId: meta.channel,
      },
      { setUp: false },
    );
    if (!declared.duplicate && meta.source) {
      const { channel, ts, permalink } = meta.source;
      await this.service.timelineRepo.add(declared.incident.id, {
        kind: 'note',
        actorId: s.userId,
        text: `opened from ${permalink ? `<${permalink}|a message>` : 'a message'} in <#${channel}>`,
        detail: { source: 'message', channel, ts, permalink },
        dedupeKey: `source:${channel}:${ts}`,
      });
    }
    if (!declared.duplicate) {
      await this.jobs.enqueue(
        SETUP_JOB,
        {
          data: { incidentId: declared.incident.id, userId: s.userId, channel: meta.channel },
          meta: { title: `Set up ${incidentRef(declared.incident)}`, requestedBy: s.userId },
        },
        { idempotent: true },
      );
    }
    return undefined;
  }

  private async updateFromModal(s: ViewSubmission): Promise<Record<string, string> | undefined> {
    const body = text(s.values.text);
    if (!body) return { text: 'Write what changed.' };
    const mitigated = Array.isArray(s.values.mitigated) && s.values.mitigated.includes('mitigated');
    try {
      await this.service.update(Number(s.privateMetadata), s.userId, body, { mitigated });
    } catch (err) {
      if (isUserError(err)) return { text: err.message };
      throw err;
    }
    return undefined;
  }

  private async resolveFromModal(s: ViewSubmission): Promise<Record<string, string> | undefined> {
    const summary = text(s.values.summary);
    if (!summary) return { summary: 'Say how it was resolved; it heads the postmortem.' };
    try {
      await this.service.resolve(Number(s.privateMetadata), s.userId, summary);
    } catch (err) {
      if (isUserError(err)) return { summary: err.message };
      throw err;
    }
    return undefined;
  }

  private setupJob() {
    return defineJob<{ incidentId: number; userId: string; channel?: string }>({
      name: SETUP_JOB,
      idempotent: true,
      run: async (_ctx, { incidentId, userId, channel }) => {
        const incident = await this.service.repo.get(incidentId);
        if (!incident) return { text: `incident ${incidentId} is gone`, blocks: [] };
        const { incident: ready, problems } = await this.service.presenter.setUp(incident);
        const reply = renderDeclared(ready, problems);
        const chat = this.service.presenter.slack;
        if (chat) {
          const toUser = channel ? chat.postEphemeral(channel, userId, reply) : chat.postDirect(userId, reply);
          await toUser.catch((err) => this.log.warn({ err }, 'could not tell the declarer'));
        }
        return reply;
      },
    });
  }

  /** A :pushpin: on a message in an incident channel copies that message into the timeline. */
  private async pinned(event: Record<string, unknown>): Promise<void> {
    const item = event.item as { type?: string; channel?: string; ts?: string } | undefined;
    if (event.reaction !== 'pushpin' || item?.type !== 'message' || !item.channel || !item.ts) return;
    const incident = await this.service.repo.byChannel(item.channel);
    const slack = this.service.presenter.slack;
    if (!incident || !slack) return;
    try {
      const message = await slack.messageText(item.channel, item.ts);
      if (!message) return;
      const author = message.user ? ` (<@${message.user}>)` : '';
      await this.service.timelineRepo.add(incident.id, {
        kind: 'pin',
        actorId: typeof event.user === 'string' ? event.user : undefined,
        text: `pinned${author}: ${message.text}`,
        detail: { ts: item.ts },
        dedupeKey: `pin:${item.ts}`,
      });
    } catch (err) {
      this.log.warn({ err }, 'could not read a pinned message');
      await slack.postQuietly(
        item.channel,
        renderIncidentRefusal(describeChatFailure(err, 'add the :pushpin: message to the timeline')),
      );
    }
  }
}
