import type { BackupFile, Freshness } from '../src/backup/backup-files.js';
import type { DumpResult } from '../src/backup/dump.js';
import type { RestoreNewResult } from '../src/backup/restore-new.js';
import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, plural, worstTone } from './aws-common.js';
import { formatAge, formatBytes, tableSections } from './db-format.js';
import type { VerificationView } from './backup-list.js';
import type { Reply, Tone } from './reply.js';
import type { S3CopyResult } from '../src/backup/s3-copy.js';
import { s3CopiesBlocks, s3CopyDoneBlocks, type S3CopiesView } from './backup-s3.js';

export interface BackupFilesView {
  env: string;
  dir: string;
  schedule: string;
  timezone: string;
  files: BackupFile[];
  freshness: Freshness;
  now: Date;
  lastAttempt?: VerificationView;
  /** With database.backup.s3: the copies there (or why they could not be listed). */
  s3?: Omit<S3CopiesView, 'newestLocal'>;
}

const SHOWN = 30;

function verificationLine(last: VerificationView | undefined, now: Date): { tone: Tone; line: string } {
  if (!last)
    return { tone: 'muted', line: ':white_circle: Never verified: prove one restores with `/ops backup verify`' };
  const when = `${formatAge(now.getTime() - last.finishedAt.getTime())} ago`;
  return last.ok
    ? { tone: 'ok', line: `:large_green_circle: Last verified ${when}: ${escapeMrkdwn(last.summary)}` }
    : { tone: 'danger', line: `:red_circle: The last verification (${when}) failed: ${escapeMrkdwn(last.summary)}` };
}

/** `/ops backup list` of a pg_dump folder: red when the newest file is older than the schedule allows. */
export function renderBackupFiles(view: BackupFilesView): Reply {
  const f = view.freshness;
  const newest = view.files[0];
  const freshTone: Tone = f.ok === false ? 'danger' : f.ok ? 'ok' : newest ? 'info' : 'warning';
  const verified = verificationLine(view.lastAttempt, view.now);
  const s3 = view.s3 && s3CopiesBlocks({ ...view.s3, newestLocal: newest?.file });
  const tone = worstTone([freshTone, verified.tone === 'danger' ? 'warning' : 'ok', s3?.tone ?? 'ok']);
  const headline = newest
    ? `newest backup ${formatAge(newest.ageMs)} old (${formatBytes(newest.bytes)})${f.ok === false ? ` — stale: ${f.note}` : ''}`
    : `no backups in ${view.dir}${f.ok === false ? ' — a scheduled one is due' : ''}`;
  const blocks: KnownBlock[] = [
    section(`${TONE_ICON[freshTone]} *${escapeMrkdwn(view.env)}: ${escapeMrkdwn(headline)}*`),
  ];
  if (view.files.length)
    blocks.push(
      ...tableSections(
        ['FILE', 'FORMAT', 'SIZE', 'AGE'],
        view.files.slice(0, SHOWN).map((b) => [b.file, b.format, formatBytes(b.bytes), formatAge(b.ageMs)]),
        ['l', 'l', 'r', 'r'],
      ),
    );
  if (s3) blocks.push(...s3.blocks);
  blocks.push(section(verified.line));
  const rule =
    f.maxAgeMs !== undefined ? `the newest must be younger than ${formatAge(f.maxAgeMs)} (${f.note})` : f.note;
  blocks.push(
    context(
      `${plural(view.files.length, 'file')} in ${escapeMrkdwn(view.dir)}${view.files.length > SHOWN ? ` (newest ${SHOWN} shown)` : ''}`,
      `schedule \`${escapeMrkdwn(view.schedule)}\` (${escapeMrkdwn(view.timezone)}): ${escapeMrkdwn(rule)}`,
    ),
  );
  const s3Text = s3 && s3.tone === 'warning' ? `; ${s3.line}` : '';
  return { text: `${view.env}: ${headline}${s3Text}`, tone, blocks };
}

export function dumpJobTitle(env: string, dir: string): string {
  return `Backup of ${env} (pg_dump into ${dir})`;
}

/** A finished dump, its speed, and what retention deleted after it. */
export function renderDumpDone(
  env: string,
  dump: DumpResult,
  deleted: BackupFile[],
  keepMs: number,
  s3?: S3CopyResult,
): Reply {
  const mbps = dump.durationMs > 0 ? dump.bytes / 1024 / 1024 / (dump.durationMs / 1000) : 0;
  const blocks: KnownBlock[] = [
    section(
      `:large_green_circle: *Backup of ${escapeMrkdwn(env)} is done*: \`${escapeMrkdwn(dump.file)}\`, ${formatBytes(dump.bytes)} (${dump.format}) in ${formatAge(dump.durationMs)} (${mbps.toFixed(1)} MB/s written)`,
    ),
    section(
      deleted.length
        ? `Retention (keep ${formatAge(keepMs)}) deleted ${plural(deleted.length, 'older backup')}: ${deleted.map((d) => `\`${escapeMrkdwn(d.file)}\` (${formatAge(d.ageMs)} old)`).join(', ')}`
        : `Retention (keep ${formatAge(keepMs)}): nothing old enough to delete`,
    ),
  ];
  const copied = s3 && s3CopyDoneBlocks(s3, keepMs);
  if (copied) blocks.push(...copied.blocks);
  blocks.push(context(`${escapeMrkdwn(dump.path)} · see them with \`/ops backup list ${env}\``));
  const text = `Backup of ${env} done: ${dump.file} (${formatBytes(dump.bytes)})${s3 ? `, copied to ${s3.url}` : ''}`;
  return { text, tone: copied?.tone ?? 'ok', blocks };
}

export function fileRestoreTitle(env: string, file: string): string {
  return `Restore ${file} into a new database (${env})`;
}

export function fileRestoreEffect(file: BackupFile, database: string, liveDatabase: string): string {
  return `Restore \`${file.file}\` (${formatBytes(file.bytes)}, ${formatAge(file.ageMs)} old) into a NEW database \`${database}\` beside \`${liveDatabase}\`; the live database is not touched`;
}

export function renderFileRestoreDone(env: string, file: string, result: RestoreNewResult): Reply {
  const counts = result.rowCounts.map((r) => [r.table, r.rows === null ? '—' : r.rows.toLocaleString('en-US')]);
  const blocks: KnownBlock[] = [
    section(
      `:large_green_circle: *Restored \`${escapeMrkdwn(file)}\` into the new database \`${result.database}\`* in ${formatAge(result.durationMs)}`,
    ),
    ...(counts.length ? tableSections(['TABLE', 'ROWS'], counts, ['l', 'r']) : [section('_no tables in the dump_')]),
    section(`:point_right: ${escapeMrkdwn(result.howToUse)}`),
    context(
      `env *${escapeMrkdwn(env)}* · ${result.format} dump · drop it when done: \`DROP DATABASE ${result.database}\``,
    ),
  ];
  return { text: `Restored ${file} into ${result.database} (${env})`, tone: 'ok', blocks };
}
