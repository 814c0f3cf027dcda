import type { ActivityRecorder } from '../activity.js';
import type { Chat } from '../core/chat.js';
import type { JobScheduling } from '../core/job.js';
import type { Logger } from '../log.js';
import type { Page, PageRepository, PageSubject } from '../store/oncall-pages.js';
import type { TimelineRepository } from '../store/timeline.js';
import { humanDuration } from '../../views/incident-card.js';
import {
  renderChainOver,
  renderPageAcknowledged,
  renderPageDm,
  renderPageMention,
  type PageCard,
} from '../../views/oncall-page.js';
import { escalate, type EscalationDecision } from './escalation.js';
import { dedupKey, OutboundPagers } from './outbound.js';
import type { Pager, PageSeverity } from './pagers/index.js';
import type { Roster } from './roster.js';
import { toWindow } from './schedule-config.js';

export const PAGE_FIRE_JOB = 'oncall.page';

/** Severities that page the on-call person (the guides' "respond immediately" levels). */
export const PAGED_SEVERITIES = ['P0', 'P1'];

export interface PageSubjectInput {
  kind: 'alert' | 'incident';
  id: string;
  severity: string;
  summary: string;
  channelId?: string;
}

export interface PagingDeps {
  roster: Roster;
  pages: PageRepository;
  jobs: JobScheduling;
  chat?: Chat;
  timeline: TimelineRepository;
  activity: ActivityRecorder;
  pagers: Pager[];
  /** Members of an access role, for policy steps that name one. */
  roles(name: string): string[] | undefined;
  /** The incident's own channel once it has one (pages opened before the channel existed mention there). */
  incidentChannel(id: number): Promise<string | undefined>;
  log: Logger;
  clock: () => Date;
}

/**
 * Pages: one chain per alert or incident, stored in Postgres, moved on by
 * delayed BullMQ jobs that carry the generation they were scheduled with.
 * Only `claimFiring` with the current generation sends anything, so a stale
 * timer, a retried job or a second replica never pages twice, and an
 * acknowledgement (which bumps the generation) stops the chain everywhere.
 */
export class Paging {
  /** PagerDuty / Opsgenie, beside the Slack page; a pager that is down is said in the channel. */
  readonly outbound: OutboundPagers;

  constructor(private readonly deps: PagingDeps) {
    this.outbound = new OutboundPagers(deps.pagers, deps.pages, (page, reply) => this.say(page, reply), deps.log);
  }

  /** Whether an alert or incident of this severity pages (on-call is configured and the level is P0/P1). */
  covers(severity: string): boolean {
    return Boolean(this.deps.roster.oncall) && PAGED_SEVERITIES.includes(severity);
  }

  /** Opens a page for a P0/P1 alert or incident and sends its first step now. */
  async open(subject: PageSubjectInput): Promise<Page | undefined> {
    const oncall = this.deps.roster.oncall;
    if (!oncall || !PAGED_SEVERITIES.includes(subject.severity)) return undefined;
    const policy = oncall.policies[subject.severity as PageSeverity];
    const schedule = policy.schedule ?? Object.keys(oncall.schedules)[0];
    const { page, created } = await this.deps.pages.open({
      key: `${subject.kind}:${subject.id}`,
      subjectKind: subject.kind,
      subjectId: subject.id,
      severity: subject.severity,
      schedule,
      summary: subject.summary.slice(0, 200),
      channelId: subject.channelId,
      startedAt: this.deps.clock(),
    });
    if (!created) return page;
    this.deps.log.info({ page: page.id, key: page.key }, 'page opened');
    await this.fire(page.id, page.generation);
    return page;
  }

  /** A declared incident pages, unless it came from an alert whose page is live: that page follows the incident. */
  async incidentDeclared(
    incident: { id: number; severity: string; title: string; channelId?: string; originChannelId?: string },
    key?: string,
  ): Promise<void> {
    const id = String(incident.id);
    if (key?.startsWith('alert:') && (await this.deps.pages.adopt(key, 'incident', id, incident.channelId))) return;
    await this.open({
      kind: 'incident',
      id,
      severity: incident.severity,
      summary: incident.title,
      channelId: incident.channelId ?? incident.originChannelId,
    });
  }

  /**
   * The timer job (and the Escalate button with `force`): sends the due step if
   * `generation` is still current. Returns what happened, for the job's log.
   */
  async fire(pageId: string, generation: number, force = false): Promise<string> {
    const { pages, roster, clock } = this.deps;
    const page = await pages.get(pageId);
    if (!page || page.status !== 'open') return `page ${pageId} is ${page?.status ?? 'gone'}`;
    if (page.generation !== generation) return `stale timer for page ${pageId}`;
    const oncall = roster.required();
    const policy = oncall.policies[page.severity as PageSeverity];
    const schedule = await roster.schedule(page.schedule);
    const now = clock();
    const decision = escalate({
      policy,
      clock: { timeZone: schedule.timeZone, businessHours: toWindow(oncall.businessHours) },
      startedAt: page.startedAt,
      fired: page.fired,
      now,
      schedule,
      overrides: await roster.overrides(schedule.name, now),
      roles: this.deps.roles,
      force,
    });
    if (!decision.due) {
      if (decision.next) await this.schedule(page, page.generation, decision.next.at);
      return decision.next ? 'not due yet' : 'chain over';
    }
    const { firing, recipients } = decision.due;
    const claimed = await pages.claimFiring(page.id, generation, {
      seq: firing.seq,
      userIds: recipients.users,
      nextFireAt: decision.next?.at,
      detail: { via: recipients.via, usergroups: recipients.usergroups, unreachable: recipients.unreachable },
    });
    if (!claimed) return `page ${pageId} was fired or acknowledged elsewhere`;
    await this.send(claimed, decision, now);
    if (decision.next) await this.schedule(claimed, claimed.generation, decision.next.at);
    else await this.say(claimed, renderChainOver(claimed.summary, claimed.fired));
    return `paged ${recipients.users.join(', ') || 'nobody'} (step ${firing.step + 1}, pass ${firing.pass + 1})`;
  }

  /** The Acknowledge button in a page DM. Undefined when the page was not open (already acknowledged). */
  async acknowledge(pageId: string, userId: string): Promise<Page | undefined> {
    const done = await this.deps.pages.acknowledge(pageId, userId);
    if (!done) return undefined;
    await this.recordAck(done.page, userId, done.timeToAckMs);
    return done.page;
  }

  /** The alert or incident was acknowledged (its own button or command): the page stops at once. */
  async subjectAcknowledged(kind: PageSubject, id: string, userId: string): Promise<void> {
    const { pages } = this.deps;
    const done =
      (await pages.acknowledgeSubject(kind, id, userId)) ??
      (await pages.live(`${kind}:${id}`).then((p) => (p ? pages.acknowledge(p.id, userId) : undefined)));
    if (done) await this.recordAck(done.page, userId, done.timeToAckMs);
  }

  async subjectResolved(kind: PageSubject, id: string, userId: string): Promise<void> {
    const done = await this.deps.pages.resolveSubject(kind, id, userId);
    if (!done) return;
    this.outbound.forward(done.page, (p) => p.resolve(dedupKey(done.page), userId));
  }

  async get(pageId: string): Promise<Page | undefined> {
    return this.deps.pages.get(pageId);
  }

  private async send(page: Page, decision: EscalationDecision, now: Date): Promise<void> {
    const { firing, recipients } = decision.due!;
    const card: PageCard = {
      pageId: page.id,
      subject: page.subjectKind,
      subjectId: page.subjectId,
      severity: page.severity,
      summary: page.summary,
      channelId: await this.channelOf(page),
      openedAt: page.openedAt,
      via: recipients.via,
      step: firing.step,
      pass: firing.pass,
      unreachable: recipients.unreachable.map((u) => u.reason),
      nextAt: decision.next?.at,
    };
    const { chat, log } = this.deps;
    for (const user of recipients.users) {
      await chat?.postDirect(user, renderPageDm(card, now)).catch((err) => log.warn({ err, user }, 'page DM failed'));
    }
    await this.say(page, renderPageMention(card));
    const who = recipients.via.map((v) => `${v.target}: ${v.users.map((u) => `<@${u}>`).join(' ')}`).join('; ');
    const unreachable = recipients.unreachable.map((u) => u.reason).join('; ');
    await this.record(
      page,
      `paged ${who || 'nobody'} (step ${firing.step + 1}${firing.pass ? `, repeat ${firing.pass}` : ''})${unreachable ? `; ${unreachable}` : ''}`,
      `page:${page.id}:${firing.seq}`,
    );
    if (firing.seq === 0)
      this.outbound.forward(page, (p) =>
        p.trigger({
          dedupKey: dedupKey(page),
          summary: page.summary,
          severity: page.severity as PageSeverity,
          details: { page: page.id, subject: `${page.subjectKind} ${page.subjectId}` },
        }),
      );
  }

  private async recordAck(page: Page, userId: string, timeToAckMs: number): Promise<void> {
    this.deps.log.info({ page: page.id, userId, timeToAckMs }, 'page acknowledged');
    await this.record(
      page,
      `page acknowledged by <@${userId}>; time to acknowledge ${humanDuration(timeToAckMs)}`,
      `page:${page.id}:ack`,
    );
    await this.say(page, renderPageAcknowledged(page.summary, userId, timeToAckMs));
    this.outbound.forward(page, (p) => p.acknowledge(dedupKey(page), userId));
  }

  private async schedule(page: Page, generation: number, at: Date): Promise<void> {
    const delayMs = Math.max(0, at.getTime() - this.deps.clock().getTime());
    await this.deps.jobs.enqueue(
      PAGE_FIRE_JOB,
      {
        data: { pageId: page.id, generation },
        meta: { title: `Escalate page ${page.id} (${page.summary}) if unacknowledged`, requestedBy: 'opsbot' },
      },
      { idempotent: true, delayMs },
    );
  }

  private async channelOf(page: Page): Promise<string | undefined> {
    if (page.subjectKind === 'incident')
      return (await this.deps.incidentChannel(Number(page.subjectId)).catch(() => undefined)) ?? page.channelId;
    return page.channelId;
  }

  private async say(page: Page, reply: Parameters<Chat['post']>[1]): Promise<void> {
    const channel = await this.channelOf(page);
    if (!channel || !this.deps.chat) return;
    await this.deps.chat
      .post(channel, reply)
      .catch((err) => this.deps.log.warn({ err, channel }, 'page notice failed'));
  }

  /** Incident pages go on the incident timeline; alert pages on the channel's activity (which feeds it too). */
  private async record(page: Page, text: string, dedupeKey: string): Promise<void> {
    try {
      if (page.subjectKind === 'incident')
        await this.deps.timeline.add(Number(page.subjectId), {
          kind: 'escalated',
          actorId: 'opsbot',
          text,
          detail: { page: page.id },
          dedupeKey,
        });
      else {
        const channelId = await this.channelOf(page);
        if (channelId)
          await this.deps.activity.record({
            channelId,
            kind: 'alert',
            actorId: 'opsbot',
            text,
            detail: { page: page.id, alertId: page.subjectId },
          });
      }
    } catch (err) {
      this.deps.log.warn({ err, page: page.id }, 'could not record a page on the timeline');
    }
  }
}
