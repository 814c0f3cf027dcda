import type { OpsConfig } from '../config/schema.js';
import type { AlertMessage, AlertRepository, StoredAlert } from '../store/alerts.js';
import type { SilenceRepository } from '../store/silences.js';
import type { Reply } from '../core/reply.js';
import { renderAlertGroup, type AlertView } from '../../views/alert-card.js';
import { renderAlertStorm } from '../../views/alert-storm.js';
import { mentionText, routeAt } from './router.js';

/** Stored alerts as the views want them, with silence end times looked up once. */
export async function toAlertViews(alerts: StoredAlert[], silences: SilenceRepository): Promise<AlertView[]> {
  const active = new Map((await silences.active()).map((s) => [s.id, s.endsAt]));
  return alerts.map((a) => ({ ...a, silencedUntil: a.silenceId ? active.get(a.silenceId) : undefined }));
}

/** The current state of one alert message, as it should look in Slack now. */
export async function renderAlertMessage(
  message: AlertMessage,
  deps: { config: OpsConfig; repo: AlertRepository; silences: SilenceRepository },
  now = new Date(),
): Promise<Reply | undefined> {
  const { alerts, total } = await deps.repo.messageAlerts(message.id);
  if (total === 0) return undefined;
  const views = await toAlertViews(alerts, deps.silences);
  // Mentions only on the first post: Slack notifies on post, and edits would not.
  const firstPost = !message.ts;
  if (message.kind === 'storm') {
    return renderAlertStorm(
      {
        messageId: message.id,
        alerts: views,
        total,
        startedAt: message.createdAt,
        mentions: firstPost ? mentionText(stormMentions(deps.config, alerts)) || undefined : undefined,
      },
      now,
    );
  }
  const route = routeAt(deps.config, message.routeIndex);
  return renderAlertGroup(
    {
      messageId: message.id,
      alerts: views,
      total,
      runbook: route?.runbook,
      routeLabel: route?.match.alarmName ?? route?.match.namespace ?? undefined,
      mentions: firstPost && route?.mention.length ? mentionText(route.mention) : undefined,
    },
    now,
  );
}

function stormMentions(config: OpsConfig, alerts: StoredAlert[]): string[] {
  const all = alerts.flatMap((a) => routeAt(config, a.routeIndex)?.mention ?? []);
  return [...new Set(all)];
}
