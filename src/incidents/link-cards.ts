import type { LinkCards, OpsbotLink } from '../core/links.js';
import type { Reply } from '../core/reply.js';
import type { StoredAlert } from '../store/alerts.js';
import { renderAlertUnfurl } from '../../views/link-unfurl.js';
import type { IncidentService } from './service.js';

/** The cards opsbot links unfurl to: an incident's pinned card, an alert's summary. */
export function linkCards(deps: {
  incidents: IncidentService;
  alerts: { get(id: string): Promise<StoredAlert | undefined> };
}): LinkCards {
  return {
    async card(link: OpsbotLink): Promise<Reply | undefined> {
      if (link.kind === 'incident') {
        const incident = await deps.incidents.repo.get(Number(link.id));
        return incident ? deps.incidents.presenter.card(incident) : undefined;
      }
      const alert = await deps.alerts.get(link.id);
      return alert ? renderAlertUnfurl(alert) : undefined;
    },
  };
}
