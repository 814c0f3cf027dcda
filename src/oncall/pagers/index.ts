import type { PagersConfig } from '../../config/oncall-schema.js';
import { OpsgeniePager } from './opsgenie.js';
import { PagerDutyPager } from './pagerduty.js';
import type { Pager } from './types.js';

export { PagerError, type Pager, type PageNotice, type PagerReceipt, type PageSeverity } from './types.js';

/** The pagers ops.yml configures, in a fixed order (PagerDuty, then Opsgenie/JSM). */
export function pagersFromConfig(
  config: PagersConfig,
  overrides: { sleep?: (ms: number) => Promise<void> } = {},
): Pager[] {
  const out: Pager[] = [];
  const pd = config.pagerduty;
  if (pd) out.push(new PagerDutyPager({ ...pd, timeoutMs: pd.timeout, ...overrides }));
  const og = config.opsgenie;
  if (og) {
    const name = /atlassian\.com/.test(og.baseUrl) ? 'Jira Service Management' : 'Opsgenie';
    out.push(new OpsgeniePager({ ...og, timeoutMs: og.timeout, name, ...overrides }));
  }
  return out;
}
