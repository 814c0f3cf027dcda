import type { ActivityLog } from '../activity.js';
import type { UserDirectory } from '../access/user-directory.js';
import type { OpsConfig } from '../config/schema.js';
import type { Feature } from '../core/feature.js';
import type { JobScheduling } from '../core/job.js';
import type { Logger } from '../log.js';
import type { IncidentChannels } from '../core/chat.js';
import { IncidentRepository } from '../store/incidents.js';
import type { Pool } from '../store/pool.js';
import { TimelineRepository } from '../store/timeline.js';
import { IncidentFeature } from './feature.js';
import { IncidentPresenter } from './presenter.js';
import { IncidentService } from './service.js';
import { IncidentTimers } from './timers.js';

export interface IncidentDeps {
  config: OpsConfig;
  pool: Pool;
  jobs: JobScheduling;
  /** Slack's side of an incident (its channel, card, pins); absent in a terminal. */
  channels?: IncidentChannels;
  directory?: UserDirectory;
  activity: ActivityLog;
  log: Logger;
  clock: () => Date;
}

/** Wires the incident workflow: repositories, Slack presenter, timers, the service for commands, and its Feature. */
export function buildIncidents(deps: IncidentDeps): { service: IncidentService; feature: Feature } {
  const log = deps.log.child({ component: 'incidents' });
  const timeline = new TimelineRepository(deps.pool);
  const repo = new IncidentRepository(deps.pool, timeline);
  const presenter = new IncidentPresenter(deps.config, repo, deps.channels, deps.directory, log, deps.clock);
  const timers = new IncidentTimers(deps.config, repo, deps.jobs, presenter, log, deps.clock);
  const service = new IncidentService(deps.config, repo, timeline, presenter, timers, log, deps.clock);
  // One escalation per incident: where an on-call policy pages, the one-shot response-target escalation stays off.
  timers.pagedBy = (severity) => service.paging?.covers(severity) ?? false;
  const feature = new IncidentFeature(service, deps.config, deps.jobs, log).register(deps.activity);
  return { service, feature };
}
