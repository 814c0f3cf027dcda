import type { Expression } from '@aws-sdk/client-cost-explorer';
import { UserError } from '../errors.js';
import type { AwsSession } from './session.js';
import { costExplorer } from './sdk.js';

/** What `--by` groups by, as Cost Explorer names the dimension. */
export const COST_GROUPS = { service: 'SERVICE', region: 'REGION', 'usage-type': 'USAGE_TYPE' } as const;
export type CostGroup = keyof typeof COST_GROUPS;

/**
 * The cost metric: what the account is charged (the Expo guide's `aws ce get-cost-and-usage` uses
 * BlendedCost, which is the same figure for an account without consolidated billing).
 */
export const COST_METRIC = 'UnblendedCost';

export interface CostQuery {
  /** First day, YYYY-MM-DD (UTC). */
  start: string;
  /** Day after the last, YYYY-MM-DD: Cost Explorer's End is exclusive. */
  end: string;
  by: CostGroup;
  /** A cost allocation tag that marks the environment's resources. */
  tag?: { key: string; value: string };
}

export interface CostDay {
  date: string;
  /** Cost Explorer is still estimating this day (it settles within about 24 hours). */
  estimated: boolean;
  /** Amount per service (or region, usage type). */
  amounts: Record<string, number>;
}

export interface CostData {
  unit: string;
  days: CostDay[];
}

/** Cost Explorer charges per request: a command asks for one page, or a few when there are many services. */
const MAX_PAGES = 4;

/** GetCostAndUsage, daily and grouped, over [start, end); the client always talks to us-east-1. */
export async function getCostAndUsage(s: AwsSession, q: CostQuery): Promise<CostData> {
  const filter: Expression | undefined = q.tag
    ? { Tags: { Key: q.tag.key, Values: [q.tag.value], MatchOptions: ['EQUALS'] } }
    : undefined;
  const byDate = new Map<string, CostDay>();
  let unit = 'USD';
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await s.call('ce:GetCostAndUsage', async (abortSignal) => {
      try {
        return await s.clients.costExplorer.send(
          new costExplorer.GetCostAndUsageCommand({
            TimePeriod: { Start: q.start, End: q.end },
            Granularity: 'DAILY',
            Metrics: [COST_METRIC],
            GroupBy: [{ Type: 'DIMENSION', Key: COST_GROUPS[q.by] }],
            Filter: filter,
            NextPageToken: token,
          }),
          { abortSignal },
        );
      } catch (err) {
        throw costError(err);
      }
    });
    for (const r of out.ResultsByTime ?? []) {
      const date = r.TimePeriod?.Start ?? '?';
      const day = byDate.get(date) ?? { date, estimated: r.Estimated === true, amounts: {} };
      for (const g of r.Groups ?? []) {
        const m = g.Metrics?.[COST_METRIC];
        if (!m?.Amount) continue;
        unit = m.Unit ?? unit;
        const key = g.Keys?.[0] ?? '(none)';
        day.amounts[key] = (day.amounts[key] ?? 0) + Number(m.Amount);
      }
      byDate.set(date, day);
    }
    token = out.NextPageToken;
    if (!token) break;
  }
  return { unit, days: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}

/** Cost Explorer's own refusals, phrased as what to do. */
function costError(err: unknown): unknown {
  const name = (err as { name?: string }).name;
  if (name === 'DataUnavailableException')
    return new UserError(
      'Cost Explorer has no cost data for this period yet (DataUnavailableException).',
      'Cost Explorer must be enabled once in the Billing console (Cost Explorer → Launch); data appears within 24 hours. A new account, or a day that just started, has none yet.',
    );
  if (name === 'BillExpirationException')
    return new UserError(
      'Cost Explorer no longer has bills that old (BillExpirationException).',
      'Ask for fewer days.',
    );
  if (name === 'RequestChangedException')
    return new UserError('Cost Explorer changed its answer between pages.', 'Ask again in a minute.');
  return err;
}

/** YYYY-MM-DD of a UTC day, `offset` days from `at`. */
export function utcDay(at: Date, offset = 0): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + offset));
  return d.toISOString().slice(0, 10);
}
