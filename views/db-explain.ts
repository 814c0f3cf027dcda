import type { ExplainResult, PlanNode } from '../src/probes/pg-diagnostics/explain.js';
import { codeSection, escapeMrkdwn, section } from './blocks.js';
import { envContext, formatCount, formatQueryMs, inlineQuery } from './db-format.js';
import type { Reply } from './reply.js';

const TREE_LINES = 40;

/** The nodes that do most of the work: by self time when analysed, else by self cost. */
export function costliestNodes(result: ExplainResult, limit = 3): PlanNode[] {
  const weight = (n: PlanNode) => (result.analyzed ? (n.selfMs ?? 0) : n.selfCost);
  return [...result.nodes]
    .filter((n) => weight(n) > 0)
    .sort((a, b) => weight(b) - weight(a) || a.id - b.id)
    .slice(0, limit);
}

function label(n: PlanNode): string {
  return `${n.type}${n.target ? ` ${n.target}` : ''}`;
}

function share(n: PlanNode, r: ExplainResult): number {
  if (r.analyzed) {
    const total = r.nodes[0]?.actualMs ?? 0;
    return total > 0 ? (n.selfMs ?? 0) / total : 0;
  }
  return r.totalCost > 0 ? n.selfCost / r.totalCost : 0;
}

function measure(n: PlanNode, r: ExplainResult): string {
  if (r.analyzed && n.actualMs !== undefined) {
    const rows = `${formatCount(n.actualRows ?? 0)} rows${(n.loops ?? 1) > 1 ? ` × ${formatCount(n.loops ?? 1)} loops` : ''}`;
    const estimate = n.planRows !== n.actualRows ? ` (est. ${formatCount(n.planRows)})` : '';
    return `${formatQueryMs(n.actualMs)} · ${rows}${estimate}`;
  }
  return `cost ${n.totalCost.toFixed(0)} · ${formatCount(n.planRows)} rows est.`;
}

/** The tree as indented lines, one per node, each with its share of the work. */
export function planTreeLines(r: ExplainResult): string[] {
  return r.nodes.map((n) => {
    const pct = Math.round(share(n, r) * 100);
    const indent = n.depth === 0 ? '' : `${'   '.repeat(n.depth - 1)}└─ `;
    const removed = n.removedRows ? ` · ${formatCount(n.removedRows)} filtered out` : '';
    const cond = n.condition ? `\n${' '.repeat(indent.length + 3)}${n.condition.slice(0, 100)}` : '';
    return `${indent}${label(n)}  [${measure(n, r)}${removed}] ${pct}%${cond}`;
  });
}

/** `/ops db explain`: the costliest nodes first, then the whole plan as a tree. */
export function renderDbExplain(env: string, r: ExplainResult): Reply {
  const top = costliestNodes(r);
  const worst = top[0];
  const worstShare = worst ? share(worst, r) : 0;
  const seqScan = worst?.type === 'Seq Scan' && worstShare >= 0.5;
  const headline = r.analyzed
    ? `ran in ${formatQueryMs(r.executionMs ?? 0)} (planning ${formatQueryMs(r.planningMs ?? 0)})`
    : `estimated cost ${r.totalCost.toFixed(0)}, ${formatCount(r.nodes[0]?.planRows ?? 0)} rows`;
  const costliest = top.map(
    (n, i) =>
      `${i + 1}. *${escapeMrkdwn(label(n))}* — ${Math.round(share(n, r) * 100)}% of the ${r.analyzed ? 'time' : 'cost'} · ${escapeMrkdwn(measure(n, r))}${n.condition ? `\n      \`${escapeMrkdwn(n.condition.slice(0, 140).replace(/`/g, 'ˋ'))}\`` : ''}`,
  );
  const lines = planTreeLines(r);
  const shown = escapeMrkdwn(lines.slice(0, TREE_LINES).join('\n').replace(/`/g, 'ˋ'));
  return {
    text: `${env}: query plan, ${headline}`,
    tone: seqScan ? 'warning' : 'info',
    blocks: [
      section(`:mag: *${env}: query plan* — ${headline}\n${inlineQuery(r.sql, 300)}`),
      section(`*Costliest nodes*\n${costliest.join('\n') || 'none'}`),
      ...(seqScan
        ? [
            section(
              `:warning: A sequential scan of *${escapeMrkdwn(worst.target ?? '')}* does ${Math.round(worstShare * 100)}% of the work: an index on the filtered column may help (\`/ops db missing-indexes\`).`,
            ),
          ]
        : []),
      codeSection(
        shown.slice(0, 2800) + (lines.length > TREE_LINES ? `\n… ${lines.length - TREE_LINES} more nodes` : ''),
      ),
      envContext(
        env,
        r.analyzed
          ? 'EXPLAIN ANALYZE: the query ran in a read-only transaction'
          : 'estimate only: `--analyze` runs the query (read-only) for real times',
        'percent: the node’s own share, children excluded',
      ),
    ],
  };
}
