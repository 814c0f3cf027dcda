import type { AlertPaging } from '../alerts/pipeline.js';
import type { AlertService } from '../alerts/service.js';
import type { IncidentPaging } from '../incidents/ports.js';
import type { IncidentService } from '../incidents/service.js';
import type { OncallDeps } from '../oncall/build.js';
import type { Paging } from '../oncall/paging.js';

// How alerts and incidents reach on-call paging: a P0/P1 alert or incident opens a page, acknowledging
// or resolving it stops the chain. Part of the composition root (src/runtime.ts).

export function alertPaging(paging: Paging): AlertPaging {
  return {
    firing: async (a) =>
      void (await paging.open({
        kind: 'alert',
        id: a.id,
        severity: a.severity,
        summary: a.title,
        channelId: a.channelId,
      })),
    acknowledged: (a, userId) => paging.subjectAcknowledged('alert', a.id, userId),
    resolved: (a) => paging.subjectResolved('alert', a.id, 'opsbot'),
  };
}

export function incidentPaging(paging: Paging): IncidentPaging {
  return {
    covers: (severity) => paging.covers(severity),
    declared: (i, key) => paging.incidentDeclared(i, key),
    acknowledged: (i, userId) => paging.subjectAcknowledged('incident', String(i.id), userId),
    resolved: (i, userId) => paging.subjectResolved('incident', String(i.id), userId),
  };
}

/** What a page's Acknowledge reaches back to: the alert or incident it pages for (bound once they exist). */
export function subjectCallbacks(
  subjects: () => { alerts: Pick<AlertService, 'acknowledgeAlert'>; incidents: IncidentService },
): Pick<OncallDeps, 'acknowledgeSubject' | 'incidentChannel'> {
  return {
    acknowledgeSubject: async (kind, id, userId) => {
      const { alerts, incidents } = subjects();
      if (kind === 'alert') await alerts.acknowledgeAlert(id, userId);
      if (kind === 'incident') {
        const changed = await incidents.acknowledge(Number(id), userId).catch(() => undefined);
        await changed?.effects;
      }
    },
    incidentChannel: async (id) => (await subjects().incidents.repo.get(id))?.channelId,
  };
}
