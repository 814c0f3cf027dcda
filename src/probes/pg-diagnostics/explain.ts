import type { Queryable } from '../target-postgres.js';
import { checkSingleSelect } from './select-only.js';

/** One node of a plan, as EXPLAIN (FORMAT JSON) describes it, with its own share of the work. */
export interface PlanNode {
  id: number;
  depth: number;
  type: string;
  /** "orders", "orders_pkey on orders", a join type or a CTE name: what the node works on. */
  target?: string;
  /** Filter, index condition or join condition, as Postgres prints it. */
  condition?: string;
  startupCost: number;
  totalCost: number;
  /** This node's cost without its children's. */
  selfCost: number;
  planRows: number;
  /** With --analyze: milliseconds over all loops, rows per loop, loops, and the self time. */
  actualMs?: number;
  selfMs?: number;
  actualRows?: number;
  loops?: number;
  /** Rows a filter threw away (per loop), when Postgres reports them. */
  removedRows?: number;
}

export interface ExplainResult {
  sql: string;
  analyzed: boolean;
  nodes: PlanNode[];
  totalCost: number;
  planningMs?: number;
  executionMs?: number;
}

type RawPlan = Record<string, unknown> & { Plans?: RawPlan[] };

/**
 * EXPLAIN (FORMAT JSON) of exactly one SELECT. Meant for ctx.db().readOnly,
 * so it runs in a read-only transaction under the statement timeout; with
 * `analyze` the query really runs there, and its effects (none, if the check
 * holds) are rolled back with the transaction.
 */
export async function explainSelect(
  db: Queryable,
  text: string,
  options: { analyze: boolean },
): Promise<ExplainResult> {
  const { sql } = checkSingleSelect(text);
  const opts = options.analyze ? 'FORMAT JSON, ANALYZE, BUFFERS' : 'FORMAT JSON';
  const { rows } = await db.query(`EXPLAIN (${opts}) ${sql}`);
  const raw = rows[0]['QUERY PLAN'];
  const doc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>[];
  return toExplainResult(sql, options.analyze, doc[0]);
}

/** Flattens the JSON plan into nodes in tree order, each with its self cost (and self time when analysed). */
export function toExplainResult(sql: string, analyzed: boolean, top: Record<string, unknown>): ExplainResult {
  const nodes: PlanNode[] = [];
  const walk = (plan: RawPlan, depth: number) => {
    const children = plan.Plans ?? [];
    const total = Number(plan['Total Cost'] ?? 0);
    const childCost = children.reduce((sum, c) => sum + Number(c['Total Cost'] ?? 0), 0);
    const loops = plan['Actual Loops'] === undefined ? undefined : Number(plan['Actual Loops']);
    const actualMs =
      plan['Actual Total Time'] === undefined ? undefined : Number(plan['Actual Total Time']) * (loops ?? 1);
    const childMs = children.reduce(
      (sum, c) => sum + Number(c['Actual Total Time'] ?? 0) * Number(c['Actual Loops'] ?? 1),
      0,
    );
    const node: PlanNode = {
      id: nodes.length,
      depth,
      type: String(plan['Node Type']),
      target: targetOf(plan),
      condition: conditionOf(plan),
      startupCost: Number(plan['Startup Cost'] ?? 0),
      totalCost: total,
      selfCost: Math.max(0, total - childCost),
      planRows: Number(plan['Plan Rows'] ?? 0),
      actualMs,
      selfMs: actualMs === undefined ? undefined : Math.max(0, actualMs - childMs),
      actualRows: plan['Actual Rows'] === undefined ? undefined : Number(plan['Actual Rows']),
      loops,
      removedRows: plan['Rows Removed by Filter'] === undefined ? undefined : Number(plan['Rows Removed by Filter']),
    };
    nodes.push(node);
    for (const child of children) walk(child, depth + 1);
  };
  const plan = top.Plan as RawPlan;
  walk(plan, 0);
  return {
    sql,
    analyzed,
    nodes,
    totalCost: Number(plan['Total Cost'] ?? 0),
    planningMs: top['Planning Time'] === undefined ? undefined : Number(top['Planning Time']),
    executionMs: top['Execution Time'] === undefined ? undefined : Number(top['Execution Time']),
  };
}

function targetOf(plan: RawPlan): string | undefined {
  const relation = plan['Relation Name'] as string | undefined;
  const alias = plan.Alias as string | undefined;
  const index = plan['Index Name'] as string | undefined;
  const on = relation ? (alias && alias !== relation ? `${relation} ${alias}` : relation) : undefined;
  if (index) return on ? `${index} on ${on}` : index;
  if (on) return on;
  if (plan['CTE Name']) return `CTE ${String(plan['CTE Name'])}`;
  if (plan['Join Type'] && String(plan['Node Type']).includes('Join')) return `${String(plan['Join Type'])} join`;
  if (plan['Function Name']) return `${String(plan['Function Name'])}()`;
  return undefined;
}

function conditionOf(plan: RawPlan): string | undefined {
  for (const key of ['Index Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Recheck Cond', 'Filter', 'Sort Key']) {
    const value = plan[key];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    return `${key.toLowerCase()}: ${text}`;
  }
  return undefined;
}
