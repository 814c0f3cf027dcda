import { LIMITS, context, escapeMrkdwn, section, truncate, type KnownBlock } from './blocks.js';
import { failedPartLine, footer, plural, stamp } from './aws-common.js';
import type { Reply, ReplyFile, Tone } from './reply.js';

export interface LogLineView {
  at: Date;
  group: string;
  message: string;
}

export interface LogsView {
  env: string;
  region?: string;
  checkedAt: Date;
  tookMs: number;
  windowMs: number;
  groups: string[];
  pattern?: string;
  errorsOnly: boolean;
  /** Oldest first; the reply shows the newest last. */
  lines: LogLineView[];
  /** More lines matched than were fetched. */
  truncated: boolean;
  failed: { what: string; error: string }[];
  notes: string[];
}

const MAX_SHOWN = 40;
const LINE_CHARS = 240;
const SECTIONS = 3;

/** "/aws/elasticbeanstalk/x/var/log/web.stdout.log" → "web.stdout.log": enough to tell groups apart. */
function shortGroup(group: string): string {
  return group.split('/').filter(Boolean).pop() ?? group;
}

/** JSON log lines read better as "ERROR message {…}"; anything else stays as it is. */
export function condenseLine(message: string): string {
  // ANSI colour codes (ESC [ … m) from a container's terminal output.
  // eslint-disable-next-line no-control-regex
  const clean = message.replace(/\u001b\[[0-9;]*m/g, '').trim();
  if (!clean.startsWith('{')) return clean;
  try {
    const obj = JSON.parse(clean) as Record<string, unknown>;
    const level = obj.level ?? obj.lvl ?? obj.severity ?? obj.levelname;
    const msg = obj.msg ?? obj.message ?? obj.error;
    if (typeof msg !== 'string') return clean;
    const rest = Object.fromEntries(
      Object.entries(obj).filter(
        ([k]) =>
          !['level', 'lvl', 'severity', 'levelname', 'msg', 'message', 'time', 'timestamp', '@timestamp'].includes(k),
      ),
    );
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    return `${level !== undefined ? `${String(level).toUpperCase()} ` : ''}${msg}${extra}`;
  } catch {
    return clean;
  }
}

function formatLine(line: LogLineView, multi: boolean, max: number): string {
  const time = line.at.toISOString().slice(11, 19);
  const text = condenseLine(line.message).replace(/\s*\n\s*/g, ' ⏎ ');
  return `${time}${multi ? ` [${shortGroup(line.group)}]` : ''} ${truncate(text, max)}`;
}

/** Packs the newest lines into up to three code sections, each within Slack's 3,000 characters. */
function codeSections(lines: string[]): { blocks: KnownBlock[]; shown: number } {
  const budget = LIMITS.sectionText - 10;
  const chunks: string[][] = [[]];
  let size = 0;
  let shown = 0;
  // Walk from the newest backwards so the newest always fit, then restore order.
  for (let i = lines.length - 1; i >= 0 && shown < MAX_SHOWN; i--) {
    const safe = escapeMrkdwn(lines[i]).replace(/```/g, "'''");
    if (size + safe.length + 1 > budget) {
      if (chunks.length === SECTIONS) break;
      chunks.unshift([]);
      size = 0;
    }
    chunks[0].unshift(safe);
    size += safe.length + 1;
    shown++;
  }
  return { blocks: chunks.filter((c) => c.length).map((c) => section('```' + c.join('\n') + '```')), shown };
}

function windowText(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`;
}

/** `/ops logs`: recent matching lines, newest last, trimmed for Slack; the full result as a file when long. */
export function renderLogs(view: LogsView): Reply {
  const multi = view.groups.length > 1;
  const what = view.errorsOnly ? 'error lines' : 'lines';
  const filter = view.pattern ? ` matching \`${escapeMrkdwn(truncate(view.pattern, 100))}\`` : '';
  const from = multi ? `${view.groups.length} log groups` : `\`${escapeMrkdwn(view.groups[0] ?? '?')}\``;
  const count = `${view.lines.length}${view.truncated ? '+' : ''}`;
  let tone: Tone = view.lines.length ? (view.errorsOnly ? 'danger' : 'info') : 'ok';
  if (view.failed.length && !view.lines.length) tone = 'warning';
  const verdict = view.lines.length
    ? `:scroll: *${view.env}: ${count} ${what}*${filter} in the last ${windowText(view.windowMs)} from ${from}`
    : `${view.errorsOnly ? ':large_green_circle:' : ':scroll:'} *${view.env}: no ${what}*${filter} in the last ${windowText(view.windowMs)} from ${from}`;
  const blocks: KnownBlock[] = [section(verdict)];
  const formatted = view.lines.map((l) => formatLine(l, multi, LINE_CHARS));
  const { blocks: code, shown } = codeSections(formatted);
  blocks.push(...code);
  for (const f of view.failed) blocks.push(section(failedPartLine(f.what, f.error)));
  const files: ReplyFile[] = [];
  const trimmed = view.lines.some((l) => condenseLine(l.message).length > LINE_CHARS || l.message.includes('\n'));
  if (shown < view.lines.length || trimmed) {
    const full = view.lines.map((l) => `${l.at.toISOString()} [${l.group}] ${l.message}`).join('\n');
    files.push({
      filename: `logs-${view.env}-${view.checkedAt.toISOString().slice(0, 16).replace(/[-:T]/g, '')}.txt`,
      title: `${view.env} logs, last ${windowText(view.windowMs)}${view.pattern ? ` (${view.pattern})` : ''}`,
      content: full + '\n',
    });
  }
  const notes: string[] = [];
  if (shown < view.lines.length)
    notes.push(`showing the newest ${plural(shown, 'line')}; all ${view.lines.length} are in the attached file`);
  else if (trimmed) notes.push('long lines are trimmed; the attached file has them in full');
  if (view.truncated)
    notes.push('more lines matched than opsbot reads at once: narrow with a pattern or a shorter --since');
  notes.push(...view.notes);
  blocks.push(
    context(`newest last · ${footer(view.env, view.region, view.checkedAt, view.tookMs)}`, ...notes.map(escapeMrkdwn)),
  );
  const text = view.lines.length
    ? `${view.env}: ${count} ${what}${view.pattern ? ` matching ${view.pattern}` : ''} (last at ${stamp(view.lines.at(-1)!.at)})`
    : `${view.env}: no ${what}`;
  return { text, tone, blocks, ...(files.length ? { files } : {}) };
}
