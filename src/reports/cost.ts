import type { EnvironmentConfig } from '../config/schema.js';
import type { Reply } from '../core/reply.js';
import type { AwsSession } from '../aws/session.js';
import { getCostAndUsage, utcDay, type CostGroup } from '../aws/cost.js';
import { renderSvgToPng } from '../charts/png.js';
import { renderCost, summariseCost, type CostInput } from '../../views/cost.js';
import { renderCostChartSvg } from '../../views/cost-chart.js';

export interface CostReportInput {
  envName: string;
  env: EnvironmentConfig;
  days: number;
  by: CostGroup;
  now: Date;
}

/**
 * The cost of the last `days` full UTC days against the `days` before them, in one GetCostAndUsage
 * call (by day and by `by`), with a bar chart; `/ops cost` answers with it and the weekly report posts it.
 */
export async function buildCostReport(s: AwsSession, input: CostReportInput): Promise<Reply> {
  const started = Date.now();
  const end = utcDay(input.now);
  const currentStart = utcDay(input.now, -input.days);
  const tag = input.env.cost?.tag;
  const data = await getCostAndUsage(s, { start: utcDay(input.now, -2 * input.days), end, by: input.by, tag });
  const notes = [...s.notes];
  if (!tag)
    notes.push(
      'The whole account: add `cost: { tag: { key, value } }` (an activated cost allocation tag) to this environment to see only its resources.',
    );
  const view: CostInput = {
    env: input.envName,
    days: input.days,
    by: input.by,
    data,
    currentStart,
    end,
    filter: tag ? `tag ${tag.key}=${tag.value}` : undefined,
    checkedAt: input.now,
    tookMs: Date.now() - started,
    notes,
  };
  const summary = summariseCost(view);
  const reply = renderCost(view, summary);
  if (summary.daily.length < 2) return reply;
  const png = renderSvgToPng(
    renderCostChartSvg(`${input.envName} — cost per day, last ${input.days} days (${input.by})`, summary),
  );
  return {
    ...reply,
    files: [
      ...(reply.files ?? []),
      {
        filename: `cost-${input.envName}.png`,
        title: `${input.envName} cost per day, last ${input.days} days`,
        content: png,
      },
    ],
  };
}
