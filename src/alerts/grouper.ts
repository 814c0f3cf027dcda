import type { OpsConfig } from '../config/schema.js';
import type { AlertRepository, StoredAlert } from '../store/alerts.js';

export const STORM_KEY = 'storm';

/**
 * Puts a newly shown alert into a Slack message: the open message of its
 * route in that channel while the group window lasts (Alertmanager-style
 * grouping), or — when the channel has had more than `storm.threshold` new
 * alerts within `storm.window` — the channel's one storm summary.
 * Concurrent replicas agree through the unique open-message index.
 */
export class AlertGrouper {
  constructor(
    private readonly repo: AlertRepository,
    private readonly config: OpsConfig,
  ) {}

  async attach(alert: StoredAlert): Promise<string> {
    const { storm, groupWindow } = this.config.alerts;
    for (let attempt = 0; attempt < 5; attempt++) {
      const recent = await this.repo.recentInChannel(alert.channelId, storm.window);
      const inStorm = recent >= storm.threshold;
      const groupKey = inStorm ? STORM_KEY : `route:${alert.routeIndex ?? 'default'}`;
      const messageId = await this.repo.joinOpenMessage(
        alert.channelId,
        groupKey,
        inStorm ? 'storm' : 'group',
        inStorm ? undefined : alert.routeIndex,
        inStorm ? storm.window : groupWindow,
      );
      if (messageId) {
        await this.repo.attach(alert.id, messageId);
        return messageId;
      }
      await this.repo.closeExpired(alert.channelId, groupKey);
    }
    throw new Error(`could not find or open an alert message in ${alert.channelId}`);
  }
}
