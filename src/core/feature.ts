import type { CustomRoute } from '@slack/bolt';
import type { JobDefinition } from './job.js';
import type { ActionListener, EventListener, ShortcutListener, ViewListener } from './interactions.js';

/**
 * What a capability (approvals, incidents, alerts, checklists) plugs into the
 * machinery besides its commands: jobs, buttons, modals, events, HTTP routes,
 * and work to start where workers run (job schedulers, pollers).
 */
export interface Feature {
  name: string;
  jobs?: JobDefinition[];
  actions?: ActionListener[];
  views?: ViewListener[];
  events?: EventListener[];
  /** Global and message shortcuts (declared in manifest.yml under features.shortcuts). */
  shortcuts?: ShortcutListener[];
  routes?: CustomRoute[];
  /** Called once in every process that runs job workers (serve with its in-process worker, or worker). */
  startWorkers?(): Promise<void>;
}
