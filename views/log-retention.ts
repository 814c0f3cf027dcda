import { section, type KnownBlock } from './blocks.js';
import { envContext, formatBytes, tableSections } from './db-format.js';
import type { Reply } from './reply.js';
import type { LogGroupRetention } from '../src/aws/log-retention.js';

export interface RetentionReportView {
  env: string;
  groups: LogGroupRetention[];
  checkedAt: Date;
  notes: string[];
}

type Judged = LogGroupRetention & { verdict: 'ok' | 'never' | 'short' | 'long' | 'missing' };

export function judgeRetention(g: LogGroupRetention): Judged['verdict'] {
  if (g.missing) return 'missing';
  if (g.retentionDays === undefined) return 'never';
  if (g.retentionDays < g.recommendedDays) return 'short';
  if (g.retentionDays > g.recommendedDays) return 'long';
  return 'ok';
}

const WORD = {
  ok: 'as recommended',
  never: 'never expires: paying to store it forever',
  short: 'shorter than recommended',
  long: 'longer than recommended (cost)',
  missing: 'no such log group',
};

/** `/ops logs retention`: each group's retention against the SoleMate guide's 7/30/90 days. */
export function renderRetention(r: RetentionReportView): Reply {
  const judged: Judged[] = r.groups.map((g) => ({ ...g, verdict: judgeRetention(g) }));
  const off = judged.filter((g) => g.verdict !== 'ok');
  const tone: Reply['tone'] = off.some((g) => g.verdict === 'never' || g.verdict === 'short' || g.verdict === 'missing')
    ? 'warning'
    : 'ok';
  const verdict = off.length
    ? `:large_yellow_circle: *${r.env}: ${off.length} of ${judged.length} log group${judged.length === 1 ? '' : 's'} off the recommended retention* — ${off.map((g) => `${g.group} (${WORD[g.verdict]})`).join('; ')}`
    : `:large_green_circle: *${r.env}: every log group keeps its logs as recommended*`;
  const rows = judged.map((g) => [
    g.group,
    g.kind,
    g.missing ? '—' : g.retentionDays === undefined ? 'never' : `${g.retentionDays}d`,
    `${g.recommendedDays}d`,
    g.storedBytes === undefined ? '—' : formatBytes(g.storedBytes),
    WORD[g.verdict],
  ]);
  const blocks: KnownBlock[] = [
    section(verdict),
    ...tableSections(['group', 'kind', 'keeps', 'guide', 'stored', ''], rows, ['l', 'l', 'r', 'r', 'r', 'l']),
    envContext(
      r.env,
      'guide: access 7d, application 30d, security 90d (SoleMate)',
      'change with `/ops logs retention <days>`',
      ...r.notes,
    ),
  ];
  return { text: verdict.replace(/[*]|:[a-z_]+: /g, ''), tone, blocks };
}

export function retentionEffect(env: string, changes: { group: string; from?: number }[], days: number): string {
  return `Set the retention of ${changes.length} log group${changes.length === 1 ? '' : 's'} in ${env} to ${days} days (PutRetentionPolicy): ${changes
    .map((c) => `${c.group} ${c.from === undefined ? 'never expires' : `${c.from}d`} → ${days}d`)
    .join(', ')}. Events older than ${days} days are deleted by CloudWatch Logs.`;
}

export function renderRetentionSet(env: string, changes: { group: string; from?: number }[], days: number): Reply {
  const text = `${env}: ${changes.length} log group${changes.length === 1 ? '' : 's'} now keep${changes.length === 1 ? 's' : ''} ${days} days`;
  return {
    text,
    tone: 'ok',
    blocks: [
      section(`:white_check_mark: *${text}*`),
      section(
        changes
          .map((c) => `• \`${c.group}\` ${c.from === undefined ? 'never expired' : `${c.from}d`} → ${days}d`)
          .join('\n'),
      ),
    ],
  };
}
