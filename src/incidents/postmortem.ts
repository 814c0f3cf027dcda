import { withTimeout } from '../errors.js';
import type { Incident } from '../store/incidents.js';
import type { TimelineRepository } from '../store/timeline.js';
import { postmortemPeople, renderPostmortemMarkdown } from '../../views/incident-postmortem.js';
import type { IncidentPresenter } from './presenter.js';

/**
 * The postmortem draft as it would be written now (also for open incidents, as
 * a working document): the timeline, with people's names when Slack answers
 * users.info within 3 s (ids otherwise).
 */
export async function draftPostmortem(
  incident: Incident,
  timeline: Pick<TimelineRepository, 'list'>,
  presenter: Pick<IncidentPresenter, 'displayNames' | 'severity'>,
  now: Date,
): Promise<string> {
  const items = await timeline.list(incident.id);
  const names = await withTimeout('Slack users.info', 3000, () =>
    presenter.displayNames(postmortemPeople(incident, items)),
  ).catch(() => ({}));
  return renderPostmortemMarkdown(incident, items, presenter.severity(incident), now, names);
}
