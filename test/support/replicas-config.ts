// The ops.yml of test/e2e/replicas.test.ts: one of everything that must happen once across replicas.

export const CHECKLIST_CHANNEL = 'C0CHECKS';
export const ALERTS_CHANNEL = 'C0ALERTS';

/** The next UTC second, at least `leadMs` away and on a multiple of 5 s, as a 6-field cron that fires once a day. */
export function slotAfter(leadMs: number, now = Date.now()): { at: Date; cron: string } {
  const at = new Date(Math.ceil((now + leadMs) / 5000) * 5000);
  return { at, cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *` };
}

/**
 * A local database to reindex (approval), alerts by webhook, a checklist due at `checklistCron` (UTC), and a
 * P1 on-call chain of three steps a second apart that runs once (repeat: 0).
 */
export function replicasConfig(o: { targetUrl: string; checklistCron: string }): string {
  return `timezone: UTC
environments:
  local:
    database: { url: "${o.targetUrl}" }
channels: { alerts: ${ALERTS_CHANNEL}, incidents: C0INCIDENTS }
alerts:
  webhookToken: replica-token
  groupWindow: 1s
checklists:
  replica-check:
    title: Replica check
    schedule: "${o.checklistCron}"
    channel: ${CHECKLIST_CHANNEL}
    nag: false
    items: [Look at the dashboards]
oncall:
  schedules:
    platform:
      layers:
        primary: { members: [U0ALICE] }
        secondary: { members: [U0BOB] }
        escalation: { members: [U0CAROL] }
  policies:
    P1:
      schedule: platform
      steps:
        - { notify: [primary], after: 0s }
        - { notify: [secondary], after: 1s }
        - { notify: [escalation], after: 2s }
      repeat: 0
`;
}
