import type { OpsConfig } from '../config/schema.js';
import type { AlertDelivery } from '../core/alert-delivery.js';
import type { AlertRepository } from '../store/alerts.js';
import type { Silence, SilenceRepository } from '../store/silences.js';
import { humanDuration } from '../../views/alert-card.js';
import { renderSilenceEnded } from '../../views/alert-silences.js';
import { section } from '../../views/blocks.js';
import type { AlertPipeline } from './pipeline.js';
import { mentionText, routeAt } from './router.js';
import type { SilenceBook } from './silences.js';

export interface SweeperDeps {
  config: OpsConfig;
  repo: AlertRepository;
  silenceRepo: SilenceRepository;
  silences: SilenceBook;
  outbox: AlertDelivery;
  pipeline: Pick<AlertPipeline, 'show'>;
  /** Brings an alert message up to date in Slack (the service's refresh). */
  refresh(messageId: string | undefined, channelId: string): Promise<void>;
}

/**
 * The periodic sweep (one job scheduler per interval, whatever the number of replicas): silences that
 * ended are reported and what still fires is shown again; unacknowledged firing alerts are mentioned
 * again after alerts.renotify; messages with unsent changes are queued again.
 */
export class AlertSweeper {
  constructor(private readonly deps: SweeperDeps) {}

  async sweep(): Promise<{ ended: number; renotified: number }> {
    const { config, repo, outbox } = this.deps;
    const ended = await this.endSilences();
    let renotified = 0;
    const { renotify } = config.alerts;
    if (renotify > 0) {
      for (const alert of await repo.dueForRenotify(renotify)) {
        const mentions = mentionText(routeAt(config, alert.routeIndex)?.mention ?? []);
        const text = `:rotating_light: *${alert.title}* is still firing after ${humanDuration(Date.now() - alert.firstSeen.getTime())} and nobody has acknowledged it.${mentions ? ` ${mentions}` : ''}`;
        await outbox.post(alert.channelId, { text, blocks: [section(text)] }, alert.messageId);
        renotified += 1;
      }
    }
    for (const m of await repo.unsyncedMessages()) await outbox.requestSync(m.id, m.channelId);
    await repo.pruneNotifications();
    return { ended: ended.length, renotified };
  }

  /** Claims the silences that ended (expired or removed), reports each, and shows what still fires. */
  async endSilences(): Promise<Silence[]> {
    const { config, silenceRepo, silences, outbox, pipeline } = this.deps;
    const ended = await silenceRepo.claimEnded();
    for (const silence of ended) {
      const { held, stillFiring } = await silences.release(silence);
      const channel = silence.channelId ?? config.channels.alerts;
      if (channel)
        await outbox.post(
          channel,
          renderSilenceEnded({ ...silence, alerts: held.length, stillFiring: stillFiring.map((a) => a.title) }),
        );
      for (const alert of stillFiring) {
        if (alert.messageId) await this.deps.refresh(alert.messageId, alert.channelId);
        else await pipeline.show(alert);
      }
    }
    return ended;
  }
}
