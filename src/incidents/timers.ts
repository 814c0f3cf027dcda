import type { OpsConfig } from '../config/schema.js';
import { formatInZone } from '../config/schedule.js';
import { defineJob, type JobDefinition } from '../core/job.js';
import type { JobScheduling } from '../core/job.js';
import type { Logger } from '../log.js';
import type { Incident, IncidentRepository } from '../store/incidents.js';
import { NOW } from '../store/incidents.js';
import { renderEscalation, renderUpdateReminder } from '../../views/incident-messages.js';
import { humanDuration, incidentRef } from '../../views/incident-card.js';
import type { IncidentPresenter } from './presenter.js';

export const ESCALATE_JOB = 'incident.escalate';
export const REMIND_JOB = 'incident.remind';

interface EscalateData {
  incidentId: number;
  seq: number;
}
interface RemindData extends EscalateData {
  round: number;
}

/**
 * The response-target escalation and the status-update reminders, as delayed
 * BullMQ jobs. A job carries the timer generation it was scheduled for; a
 * severity change or a new update bumps the generation in Postgres, so stale
 * jobs find nothing to do. The decision to act is a locked transition, so a
 * retried job or a second worker never escalates or reminds twice.
 */
export class IncidentTimers {
  /**
   * Whether on-call paging handles this severity (an escalation policy applies): then only paging escalates,
   * and this one-shot escalation is neither scheduled nor, if scheduled before, run. See docs/oncall.md.
   */
  pagedBy: (severity: string) => boolean = () => false;

  constructor(
    private readonly config: OpsConfig,
    private readonly repo: IncidentRepository,
    private readonly jobs: JobScheduling,
    private readonly presenter: IncidentPresenter,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  definitions(): JobDefinition[] {
    return [
      defineJob<EscalateData>({ name: ESCALATE_JOB, idempotent: true, run: async (_ctx, data) => this.escalate(data) }),
      defineJob<RemindData>({ name: REMIND_JOB, idempotent: true, run: async (_ctx, data) => this.remind(data) }),
    ];
  }

  /** Due when the severity's response target is (business calendar included); immediately if that has passed (a raised severity). */
  async scheduleEscalation(i: Incident): Promise<void> {
    if (i.acknowledgedAt || i.status === 'resolved' || this.pagedBy(i.severity)) return;
    const due = this.presenter.severity(i).dueAt.getTime();
    await this.enqueue(
      ESCALATE_JOB,
      { incidentId: i.id, seq: i.ackTimerSeq },
      due,
      `Escalate ${incidentRef(i)} if unacknowledged`,
    );
  }

  /** Round n is due n reminder intervals after the last update (or the declaration). */
  async scheduleReminder(i: Incident, round = 1): Promise<void> {
    if (i.status === 'resolved' || !this.config.incidents.reminderSeverities.includes(i.severity)) return;
    const since = (i.lastUpdateAt ?? i.declaredAt).getTime();
    const due = since + round * this.config.incidents.updateReminder;
    await this.enqueue(
      REMIND_JOB,
      { incidentId: i.id, seq: i.updateTimerSeq, round },
      due,
      `Remind the owner of ${incidentRef(i)} to post an update`,
    );
  }

  private async enqueue(name: string, data: EscalateData | RemindData, dueMs: number, title: string): Promise<void> {
    const delayMs = Math.max(0, dueMs - this.clock().getTime());
    try {
      await this.jobs.enqueue(
        name,
        { data: { ...data }, meta: { title, requestedBy: 'opsbot' } },
        { idempotent: true, delayMs },
      );
    } catch (err) {
      this.log.error({ err, name, incident: data.incidentId }, 'could not schedule an incident timer');
    }
  }

  private async escalate({ incidentId, seq }: EscalateData) {
    const result = await this.repo.transition(incidentId, (i) => {
      if (i.status === 'resolved' || i.acknowledgedAt) return { refuse: 'acknowledged or resolved in time' };
      if (i.ackTimerSeq !== seq) return { refuse: 'rescheduled by a severity change' };
      if (this.pagedBy(i.severity)) return { refuse: `on-call paging escalates ${i.severity} incidents` };
      return {
        changes: { escalated_at: NOW },
        entry: {
          kind: 'escalated',
          actorId: 'opsbot',
          text: `not acknowledged by ${formatInZone(this.presenter.severity(i).dueAt, this.config.timezone)} (${i.severity} target: ${this.presenter.severity(i).target}); escalated to on-call`,
        },
      };
    });
    if ('refused' in result) return { text: `no escalation: ${result.refused}`, blocks: [] };
    const i = result.after;
    const message = renderEscalation(i, this.presenter.oncallMentions(), this.presenter.severity(i), this.clock());
    await this.presenter.event(i, message);
    await this.presenter.broadcast(message);
    await this.presenter.refresh(i);
    return { text: `escalated ${incidentRef(i)}`, blocks: [] };
  }

  private async remind({ incidentId, seq, round }: RemindData) {
    const result = await this.repo.transition(incidentId, (i) => {
      if (i.status === 'resolved' || !this.config.incidents.reminderSeverities.includes(i.severity))
        return { refuse: 'no reminders for this incident now' };
      if (i.updateTimerSeq !== seq || i.remindersSent !== round - 1) return { refuse: 'an update was posted since' };
      const quiet = this.clock().getTime() - (i.lastUpdateAt ?? i.declaredAt).getTime();
      return {
        changes: { reminders_sent: round },
        entry: {
          kind: 'reminder',
          actorId: 'opsbot',
          text: `no update for ${humanDuration(quiet)}; reminded the owner`,
        },
      };
    });
    if ('refused' in result) return { text: `no reminder: ${result.refused}`, blocks: [] };
    const i = result.after;
    await this.presenter.event(
      i,
      renderUpdateReminder(i, this.clock().getTime() - (i.lastUpdateAt ?? i.declaredAt).getTime()),
    );
    await this.scheduleReminder(i, round + 1);
    return { text: `reminded the owner of ${incidentRef(i)}`, blocks: [] };
  }
}
