import type { AlertRepository } from '../store/alerts.js';
import type { AwsAccess } from '../aws/clients.js';
import type { OpsConfig } from '../config/schema.js';
import type { RuntimeEnv } from '../config/runtime-env.js';
import type { Feature } from '../core/feature.js';
import type { JobScheduling } from '../core/job.js';
import type { IncidentService } from '../incidents/service.js';
import { linkCards } from '../incidents/link-cards.js';
import type { Logger } from '../log.js';
import { costReportFeature } from '../reports/cost-schedule.js';
import type { SlackMessenger } from '../slack/messenger.js';
import { linkUnfurlFeature } from '../slack/link-unfurls.js';

// Features that exist only when configured: link unfurls (OPSBOT_PUBLIC_URL) and the weekly cost report
// (costReport:). Part of the composition root (src/runtime.ts).

export interface OptionalFeatureParts {
  env: RuntimeEnv;
  config: OpsConfig;
  jobs: JobScheduling;
  messenger?: SlackMessenger;
  aws: AwsAccess;
  incidents: IncidentService;
  alertRepo: AlertRepository;
  clock: () => Date;
  log: Logger;
}

export function optionalFeatures(p: OptionalFeatureParts): Feature[] {
  const unfurls =
    p.env.publicUrl && p.messenger
      ? [
          linkUnfurlFeature(
            p.env.publicUrl,
            linkCards({ incidents: p.incidents, alerts: p.alertRepo }),
            p.messenger,
            p.log,
          ),
        ]
      : [];
  const cost = costReportFeature({
    jobs: p.jobs,
    chat: p.messenger,
    aws: p.aws,
    config: p.config,
    clock: p.clock,
    log: p.log.child({ component: 'cost' }),
  });
  return [...unfurls, cost];
}
