import type { ActionListener, Click } from '../core/interactions.js';
import type { AlertRepository, StoredAlert } from '../store/alerts.js';
import type { Reply } from '../core/reply.js';
import { renderUserError } from '../../views/errors.js';
import {
  ALERT_ACK,
  ALERT_ACK_ALL,
  ALERT_INCIDENT,
  ALERT_LINK,
  ALERT_MENU,
  ALERT_RUNBOOK,
  ALERT_SILENCE,
  humanDuration,
} from '../../views/alert-card.js';
import { parseDuration } from '../duration.js';
import type { SilenceBook } from './silences.js';

export interface AlertActionDeps {
  repo: AlertRepository;
  silences: SilenceBook;
  /** The alert's message changed: render it again. */
  refresh(messageId: string | undefined, channelId: string): Promise<void>;
  /** Runs `incident declare` through the dispatcher as the clicking user. */
  openIncident(alert: StoredAlert, click: Click): Promise<Reply | undefined>;
  record(alert: StoredAlert, actorId: string, text: string): Promise<void>;
  /** Acknowledging stops the alert's page (src/oncall) at once. */
  acknowledged?(alert: StoredAlert, userId: string): Promise<void>;
}

function refusal(text: string): Reply {
  return renderUserError(text);
}

/** The buttons on alert messages: Acknowledge, Silence 1h/4h/24h, Open incident, Runbook, and the per-alert menu. */
export function alertActions(deps: AlertActionDeps): ActionListener[] {
  const { repo, silences } = deps;

  const ack = async (alertId: string, click: Click): Promise<Reply | undefined> => {
    const done = await repo.acknowledge(alertId, click.userId);
    if (!done) {
      const alert = await repo.get(alertId);
      if (!alert) return refusal('That alert no longer exists.');
      if (alert.state === 'resolved') return refusal(`*${alert.title}* has already resolved.`);
      return refusal(`*${alert.title}* was already acknowledged by <@${alert.ackedBy}>.`);
    }
    await deps.refresh(done.messageId, done.channelId);
    await deps.record(done, click.userId, `acknowledged alert: ${done.title}`);
    await deps.acknowledged?.(done, click.userId);
    return undefined;
  };

  const silence = async (alertId: string, duration: string, click: Click): Promise<Reply | undefined> => {
    const durationMs = parseDuration(duration);
    const alert = await repo.get(alertId);
    if (!alert || !durationMs) return refusal('That alert no longer exists.');
    if (alert.state === 'resolved') return refusal(`*${alert.title}* has already resolved; nothing to silence.`);
    const { applied } = await silences.add({
      matcher: alert.key,
      createdBy: click.userId,
      channelId: click.channelId ?? alert.channelId,
      durationMs,
      reason: `from the alert message`,
    });
    for (const messageId of new Set(applied.map((a) => a.messageId))) await deps.refresh(messageId, alert.channelId);
    await deps.record(alert, click.userId, `silenced alert for ${humanDuration(durationMs)}: ${alert.title}`);
    return undefined;
  };

  const incident = async (alertId: string, click: Click): Promise<Reply | undefined> => {
    const alert = await repo.get(alertId);
    if (!alert) return refusal('That alert no longer exists.');
    if (alert.incidentBy)
      return refusal(
        `An incident was already opened for *${alert.title}* by ${alert.incidentBy === 'opsbot' ? 'opsbot' : `<@${alert.incidentBy}>`}.`,
      );
    const answer = await deps.openIncident(alert, click);
    const failed = answer?.tone === 'danger' || answer?.tone === 'warning';
    if (!failed && (await repo.markIncident(alert.id, click.userId)))
      await deps.refresh(alert.messageId, alert.channelId);
    return answer;
  };

  return [
    { actionId: ALERT_ACK, handle: (click) => ack(click.value, click) },
    { actionId: ALERT_SILENCE, handle: (click) => silence(click.value, click.actionId.split('.').pop()!, click) },
    { actionId: ALERT_INCIDENT, handle: (click) => incident(click.value, click) },
    // Link buttons still send a click, which must be acknowledged; opening the link is Slack's job.
    { actionId: ALERT_RUNBOOK, handle: async () => undefined },
    { actionId: ALERT_LINK, handle: async () => undefined },
    {
      actionId: ALERT_ACK_ALL,
      handle: async (click) => {
        const message = await repo.message(click.value);
        if (!message) return refusal('That alert message no longer exists.');
        const n = await repo.acknowledgeMessage(message.id, click.userId);
        if (n === 0) return refusal('Every alert in this message is already acknowledged or resolved.');
        await deps.refresh(message.id, message.channelId);
        return undefined;
      },
    },
    {
      actionId: ALERT_MENU,
      handle: async (click) => {
        const [verb, alertId = ''] = click.value.split(':');
        if (verb === 'ack') return ack(alertId, click);
        if (verb === 'incident') return incident(alertId, click);
        if (verb.startsWith('silence.')) return silence(alertId, verb.slice('silence.'.length), click);
        return refusal(`Unknown alert action "${verb}".`);
      },
    },
  ];
}
