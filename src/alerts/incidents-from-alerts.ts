import type { AccessControl } from '../access/policy.js';
import type { AlertDelivery } from '../core/alert-delivery.js';
import type { Click } from '../core/interactions.js';
import type { Reply } from '../core/reply.js';
import type { Incidents } from '../incidents/ports.js';
import type { AlertRepository, StoredAlert } from '../store/alerts.js';
import { renderAlreadyDeclared, renderDeclared, renderIncidentRefusal } from '../../views/incident-messages.js';

/**
 * Incidents opened from alerts: by a route's autoIncident rule (as opsbot) or by the Open incident button
 * (as the clicking user, under the same access rule as `/ops incident declare`). They go to the incident
 * service directly — an alarm title is not command text — and one alert yields one incident, whoever asks
 * first: the alert id is the declaration key.
 */
export class IncidentsFromAlerts {
  constructor(
    private readonly deps: {
      repo: AlertRepository;
      outbox: AlertDelivery;
      incidents: Incidents;
      access: AccessControl;
    },
  ) {}

  private declareFor(alert: StoredAlert, actorId: string) {
    return this.deps.incidents.declare({
      key: `alert:${alert.id}`,
      title: alert.title.slice(0, 150),
      severity: alert.severity,
      env: alert.environment,
      actorId,
      originChannelId: alert.channelId,
    });
  }

  async open(alert: StoredAlert, click: Click): Promise<Reply | undefined> {
    const decision = await this.deps.access.check(click.userId, 'incident declare');
    if (!decision.allowed) return renderIncidentRefusal(decision.reason);
    await this.deps.repo.markIncident(alert.id, click.userId);
    const declared = await this.declareFor(alert, click.userId);
    const reply = declared.duplicate
      ? renderAlreadyDeclared(declared.incident)
      : renderDeclared(declared.incident, declared.problems);
    return { ...reply, ephemeral: true };
  }

  async auto(alert: StoredAlert): Promise<void> {
    if (!(await this.deps.repo.markIncident(alert.id, 'opsbot'))) return;
    const declared = await this.declareFor(alert, 'opsbot');
    if (alert.messageId && !declared.duplicate)
      await this.deps.outbox.post(
        alert.channelId,
        renderDeclared(declared.incident, declared.problems),
        alert.messageId,
      );
  }
}
